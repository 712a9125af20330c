/** `npm run pcscd -- start|stop|status`: manage pcscd by hand during development. */
import { ensurePcscd, pcscdAnswers, pcscdPid, stopPcscd } from './pcscd';

async function main(cmd: string | undefined): Promise<number> {
  switch (cmd) {
    case 'start': {
      const r = await ensurePcscd({ logFile: process.env.PCSCD_LOG ?? '/tmp/kiosk-sim-pcscd.log' });
      console.log(r.startedByUs ? `pcscd started (pid ${r.pid})` : `pcscd already running (pid ${r.pid})`);
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
