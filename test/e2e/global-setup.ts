/**
 * Once per end-to-end run: makes one card per persona (RSA key generation takes a few seconds in
 * all) in a temporary directory; every test starts from a copy of it (host.ts). Also makes sure
 * pcscd runs. The returned function removes the directory after the run.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensurePcscd } from '../../native/pcscd/pcscd';
import { makePersonaCards, repo } from './host';

export default async function globalSetup(): Promise<() => void> {
  await ensurePcscd({ logFile: path.join(repo, 'out/pcscd.log') });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiosk-e2e-cards-'));
  await makePersonaCards(dir);
  // Workers inherit the environment the global setup leaves.
  process.env.KIOSK_E2E_CARD_TEMPLATE = dir;
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
