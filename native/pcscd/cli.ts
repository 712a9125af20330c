/** `npm run pcscd -- start|stop|status`: manage pcscd by hand during development. */
import { ensurePcscd, exposedVpcdPorts, pcscdAnswers, pcscdPid, stopPcscd } from './pcscd';

/** A pcscd we did not start may let other machines insert virtual cards; say so. */
function warnIfExposed(exposed: readonly string[]): void {
  if (exposed.length === 0) return;
  console.error(
    `warning: vpcd listens on ${exposed.join(', ')}: other machines can insert virtual cards; ` +
      'restart pcscd with `npm run pcscd -- stop && npm run pcscd -- start` to keep it on 127.0.0.1',
  );
}

async function main(cmd: string | undefined): Promise<number> {
  switch (cmd) {
    case 'start': {
      const r = await ensurePcscd({ logFile: process.env.PCSCD_LOG ?? '/tmp/kiosk-sim-pcscd.log' });
      console.log(r.startedByUs ? `pcscd started (pid ${r.pid})` : `pcscd already running (pid ${r.pid})`);
      warnIfExposed(r.exposed);
      return 0;
    }
    case 'stop':
      await stopPcscd();
      console.log('pcscd stopped');
      return 0;
    case 'status': {
      const pid = pcscdPid();
      const ok = await pcscdAnswers();
      console.log(pid === undefined ? 'pcscd not running' : `pcscd pid ${pid}, ${ok ? 'answering' : 'not answering'}`);
      if (pid !== undefined) warnIfExposed(exposedVpcdPorts());
      return pid !== undefined && ok ? 0 : 1;
    }
    default:
      console.error('usage: npm run pcscd -- start|stop|status');
      return 2;
  }
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? `${(err as { code?: string }).code ?? 'ERROR'}: ${err.message}` : err);
    process.exit(1);
  },
);
