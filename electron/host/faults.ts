/**
 * How the browser host logs an unexpected error in one request: the error's class, its code and
 * where it was thrown, never its message. A message can quote what the request carried (a path,
 * a JSON fragment, a password in an intent), and the host's log must stay PIN-free.
 */

/** Where the host writes its operator lines (stderr by default). */
export type HostLog = (line: string) => void;

export const stderrLog: HostLog = (line) => console.error(line);

/** Printable and short: control characters (a forged line break) become '?'. */
function clean(s: string, max: number): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?').slice(0, max);
}

/** "TypeError ERR_X at serveStatic (…/static-files.ts:40:5)": class, code, first stack frame. */
export function describeFault(err: unknown): string {
  if (!(err instanceof Error)) return `non-error thrown (${typeof err})`;
  const code = (err as { code?: unknown }).code;
  const frame = err.stack?.split('\n').find((l) => l.trimStart().startsWith('at '));
  return [clean(err.name, 60), typeof code === 'string' ? clean(code, 60) : '', frame === undefined ? '' : clean(frame.trim(), 200)].filter((s) => s !== '').join(' ');
}
