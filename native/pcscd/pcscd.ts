/**
 * Starts and stops the system's pcscd for development, tests and the simulator.
 * There is no systemd on these machines, so we run `pcscd -f` ourselves; where a pcscd is already
 * running (systemd, another shell), we use it and leave it alone.
 * The pcscd we start has Debian's vpcd wait for virtual cards on 127.0.0.1 only (loopback-bind.c);
 * Debian's own configuration has it listen on every interface.
 */
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { MAX_VPCD_SLOTS, slotPort } from '../vpcd/transport';
import { loopbackBindLibrary } from './loopback-bind';
import { writeReaderConfig } from './reader-config';
import { exposedListeners, formatEndpoint, isLoopback, tcpSockets } from './tcp-sockets';

export const PCSCD_PID_FILE = '/run/pcscd/pcscd.pid';
export const PCSCD_SOCKET = '/run/pcscd/pcscd.comm';
export const PCSCD_BINARY = '/usr/sbin/pcscd';
/** Where vpcd waits for virtual cards: Debian's two slots, or up to sixteen with reader-config.ts. */
export const VPCD_PORTS = Array.from({ length: MAX_VPCD_SLOTS }, (_, slot) => slotPort(slot));

export type PcscdErrorCode =
  | 'PCSCD_NOT_INSTALLED'
  | 'PCSCD_START_FAILED'
  /** A pcscd already runs with fewer virtual readers than asked for (Debian's configuration has two). */
  | 'PCSCD_TOO_FEW_READERS'
  | 'PCSCD_STOP_FAILED'
  /** loopback-bind.so could not be built (no C compiler): pcscd is not started without it. */
  | 'PCSCD_LOOPBACK_UNAVAILABLE'
  /** The pcscd we started still had vpcd listening beyond the loopback interface; it was stopped. */
  | 'VPCD_EXPOSED';

export class PcscdError extends Error {
  constructor(
    readonly code: PcscdErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'PcscdError';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid of the running pcscd, if any. */
export function pcscdPid(): number | undefined {
  try {
    const pid = Number.parseInt(fs.readFileSync(PCSCD_PID_FILE, 'utf8').trim(), 10);
    if (Number.isInteger(pid) && pid > 0 && alive(pid)) return pid;
  } catch {
    /* no pid file */
  }
  // A pcscd started without a pid file (or one we cannot read): ask the process table.
  try {
    const out = execFileSync('pgrep', ['-x', 'pcscd'], { encoding: 'utf8' }).trim();
    const pid = Number.parseInt(out.split('\n')[0] ?? '', 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Whether pcscd accepts connections on its socket. */
export function pcscdAnswers(): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createConnection(PCSCD_SOCKET);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

async function waitFor(cond: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await cond()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return cond();
}

export interface StartResult {
  pid: number;
  /** False when a pcscd was already running and we left it as it was. */
  startedByUs: boolean;
  /**
   * Where vpcd waits for virtual cards on an address other machines can reach ("0.0.0.0:35963"):
   * only ever a pcscd we did not start, such as one with Debian's own configuration.
   */
  exposed: string[];
}

/** Whether vpcd waits for the card of `slot` on the loopback interface (its reader exists). */
export function vpcdListening(slot: number): boolean {
  const port = slotPort(slot);
  return tcpSockets().some((t) => t.state === 'LISTEN' && t.local.port === port && isLoopback(t.local.address));
}

/** vpcd's listening sockets that are not on the loopback interface, as "address:port". */
export function exposedVpcdPorts(): string[] {
  return exposedListeners(VPCD_PORTS).map((s) => formatEndpoint(s.local));
}

/**
 * Ensures pcscd is running and answering. Starts `pcscd -f` detached (it outlives this process)
 * with its log appended to `logFile` when given.
 */
export async function ensurePcscd(opts: { logFile?: string; timeoutMs?: number; slots?: number; configDir?: string } = {}): Promise<StartResult> {
  const slots = opts.slots ?? 2;
  const existing = pcscdPid();
  if (existing !== undefined && (await waitFor(pcscdAnswers, 2000))) {
    if (!vpcdListening(slots - 1)) {
      throw new PcscdError(
        'PCSCD_TOO_FEW_READERS',
        `the running pcscd (pid ${existing}) has fewer than ${slots} virtual readers: stop it (npx tsx native/pcscd/cli.ts stop) and start again`,
      );
    }
    return { pid: existing, startedByUs: false, exposed: exposedVpcdPorts() };
  }
  if (!fs.existsSync(PCSCD_BINARY)) {
    throw new PcscdError('PCSCD_NOT_INSTALLED', `${PCSCD_BINARY} not found: install the Debian package pcscd (apt-get install pcscd vsmartcard-vpcd)`);
  }
  let loopbackBind: string;
  try {
    loopbackBind = loopbackBindLibrary();
  } catch (err) {
    throw new PcscdError('PCSCD_LOOPBACK_UNAVAILABLE', `pcscd not started: vpcd would wait for cards on every interface; ${(err as Error).message}`);
  }
  if (existing !== undefined) await stopPcscd();
  // A stale socket or pid file from a killed pcscd makes a new one refuse to start.
  for (const f of [PCSCD_SOCKET, PCSCD_PID_FILE]) fs.rmSync(f, { force: true });
  const out = opts.logFile ? fs.openSync(opts.logFile, 'a') : 'ignore';
  const preload = [loopbackBind, process.env.LD_PRELOAD].filter(Boolean).join(':');
  // Past Debian's two slots, our own reader.conf (pcscd reads only the file given with -c).
  const config = slots > 2 ? ['-c', writeReaderConfig(opts.configDir ?? '/tmp/kiosk-sim/pcscd', slots)] : [];
  const child = spawn(PCSCD_BINARY, ['-f', ...config], { detached: true, stdio: ['ignore', out, out], env: { ...process.env, LD_PRELOAD: preload } });
  child.unref();
  if (typeof out === 'number') fs.closeSync(out);
  const ok = await waitFor(pcscdAnswers, opts.timeoutMs ?? 5000);
  if (!ok || child.pid === undefined) {
    throw new PcscdError('PCSCD_START_FAILED', `pcscd did not start answering on ${PCSCD_SOCKET}${opts.logFile ? `; see ${opts.logFile}` : ''}`);
  }
  if (!(await waitFor(() => vpcdListening(slots - 1), 2000))) {
    await stopPcscd();
    throw new PcscdError('PCSCD_START_FAILED', `pcscd started without a virtual reader for slot ${slots - 1}`);
  }
  // vpcd binds its ports while pcscd starts, before pcscd answers: what listens now is final.
  const exposed = exposedVpcdPorts();
  if (exposed.length > 0) {
    await stopPcscd();
    throw new PcscdError('VPCD_EXPOSED', `pcscd stopped: its vpcd listened on ${exposed.join(', ')} despite ${loopbackBind}`);
  }
  return { pid: child.pid, startedByUs: true, exposed };
}

/** Stops pcscd (SIGTERM, then SIGKILL) and waits until it is gone. `signal: 'SIGKILL'` simulates a crash. */
export async function stopPcscd(opts: { signal?: NodeJS.Signals; timeoutMs?: number } = {}): Promise<void> {
  const pid = pcscdPid();
  if (pid === undefined) return;
  try {
    process.kill(pid, opts.signal ?? 'SIGTERM');
  } catch {
    return;
  }
  if (await waitFor(() => !alive(pid), opts.timeoutMs ?? 3000)) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    /* gone */
  }
  if (!(await waitFor(() => !alive(pid), 2000))) throw new PcscdError('PCSCD_STOP_FAILED', `pcscd (pid ${pid}) did not stop`);
}
