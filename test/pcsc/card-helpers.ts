/**
 * Shared by the virtual card's PC/SC tests. They use vpcd slot 1 ("Virtual PCD 00 01"), leaving
 * slot 0 to the reader-service tests, and a card directory of their own.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PcscReaderService } from '../../native/pcsc/reader-service';
import { insertVirtualCard, virtualReaderName, type VpcdCardConnection } from '../../native/vpcd/transport';
import type { VirtualCard } from '../../native/vpcd/virtual-card';

export const CARD_SLOT = 1;
export const CARD_READER = virtualReaderName(CARD_SLOT);

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(here, '..', '..');

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a program without blocking the event loop: a card running in this process must keep
 * answering pcscd while OpenSC's tools talk to it.
 */
export function run(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd: REPO, env: { ...process.env, ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** `npm run card -- …` as a trainer types it (node + tsx directly, without npm's noise). */
export function cardCli(args: readonly string[], cardDir: string): Promise<RunResult> {
  return run(process.execPath, ['--import', 'tsx', path.join(REPO, 'native/card/cli.ts'), ...args], { KIOSK_SIM_CARD_DIR: cardDir });
}

export function openCardService(): PcscReaderService {
  return new PcscReaderService({ reader: { name: CARD_READER }, retryInitialMs: 50, retryMaxMs: 500 });
}

/**
 * Waits (up to 20 s) for slot 1 to be empty: another engineer's test may be using it for a moment
 * (pcscd and its slots are shared on this machine).
 */
export async function waitForEmptySlot(svc: PcscReaderService): Promise<void> {
  await svc.ready();
  const empty = () => svc.readers().find((r) => r.name === CARD_READER)?.card.present !== true;
  const deadline = Date.now() + 20_000;
  while (!empty()) {
    if (Date.now() > deadline) throw new Error(`${CARD_READER} still holds a card (npm run card -- remove --slot ${CARD_SLOT}?)`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Inserts an in-process card into slot 1 and waits until pcscd reports it. */
export async function insertInProcess(svc: PcscReaderService, card: VirtualCard, slot = CARD_SLOT): Promise<VpcdCardConnection> {
  if (slot === CARD_SLOT) await waitForEmptySlot(svc);
  return insertUntilSeen(svc, card, slot);
}

/**
 * Connects the card to vpcd and waits until pcscd reports it; if pcscd is restarted meanwhile (other
 * engineers' recovery tests do that), the connection dies unseen, so it tries again, for up to 30 s.
 */
export async function insertUntilSeen(svc: PcscReaderService, card: VirtualCard, slot: number): Promise<VpcdCardConnection> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const conn = await insertVirtualCard(card, { slot, retryForMs: Math.max(0, deadline - Date.now()) });
    try {
      await svc.waitForState((s) => s.status === 'card-present', { timeoutMs: 5_000 });
      return conn;
    } catch (err) {
      await conn.remove();
      if (Date.now() > deadline) throw err;
    }
  }
}

export async function removeInProcess(svc: PcscReaderService, conn: VpcdCardConnection): Promise<void> {
  await conn.remove();
  await svc.waitForState((s) => s.status !== 'card-present', { timeoutMs: 10_000 });
}
