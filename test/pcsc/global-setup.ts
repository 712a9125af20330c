/** The pcsc test group talks to the real pcscd: make sure it runs (CI starts it; a developer may not have). */
import { ensurePcscd } from '../../native/pcscd/pcscd';

export default async function setup(): Promise<void> {
  await ensurePcscd({ logFile: '/tmp/kiosk-sim-pcscd-test.log' });
}
