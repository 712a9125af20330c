/**
 * `npm run app` end to end on the real PC/SC stack: a virtual adult card served from this process
 * into vpcd slot 1 ("Virtual PCD 00 01", the app's default reader), the CLI as its own process
 * talking to the card through pcscd, and an embedded center. The other password is verified on the
 * card (a wrong one costs a real try) and the booking lands at the center.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AdminCenterClient } from '../../electron/center/client';
import { startEmbeddedCenter, type EmbeddedCenter } from '../../electron/center/embedded';
import { openSqliteStorage } from '../../electron/center/sqlite-storage';
import { directChannel, JpkiClient } from '../../electron/jpki';
import { readCardFile } from '../../native/card/card-file';
import { loadCard, type LoadedCard } from '../../native/card/card-module';
import { createCard } from '../../native/card/issue';
import { PcscReaderService } from '../../native/pcsc';
import { insertVirtualCard, virtualReaderName, type VpcdCardConnection } from '../../native/vpcd/transport';
import { DEV_MASTER_KEY } from '../../native/jpki/reset-mac';
import { ensurePcscd } from '../../native/pcscd/pcscd';
import { tempCardDir } from '../unit/card-fixtures';
import { tempDir } from '../unit/center-fixture';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SLOT = 1;
const READER = virtualReaderName(SLOT);

let center: EmbeddedCenter;
let cardFile: string;
let front: string[];
let card: LoadedCard | undefined;
let conn: VpcdCardConnection | undefined;

beforeAll(async () => {
  await ensurePcscd();
  const svc = new PcscReaderService({ reader: { name: READER } });
  try {
    const state = await svc.waitForState((st) => st.status !== 'starting', { timeoutMs: 10_000 });
    if (state.status !== 'no-card') throw new Error(`this test needs ${READER} empty, but it is ${state.status} (npm run card -- remove --slot ${SLOT}?)`);
  } finally {
    await svc.close();
  }
  center = await startEmbeddedCenter({ storage: openSqliteStorage(path.join(tempDir(), 'c.sqlite')), masterKey: DEV_MASTER_KEY });
  cardFile = (await createCard('adult', { dir: tempCardDir('booking-cli-') })).file;
  const h = readCardFile(cardFile).holder;
  front = [h.birthDate, h.cardExpiry, h.securityCode];
});
afterAll(async () => {
  await center.close();
});
afterEach(async () => {
  await conn?.remove();
  card?.release();
  conn = undefined;
  card = undefined;
});

/** Serves the card file in slot 1 (fresh from the file, so each test starts with full tries). */
async function insertCard(): Promise<LoadedCard> {
  card = loadCard(cardFile, { store: { commit: () => undefined }, lock: false });
  conn = await insertVirtualCard(card, { slot: SLOT, retryForMs: 10_000 });
  const svc = new PcscReaderService({ reader: { name: READER } });
  try {
    await svc.waitForState((s) => s.status === 'card-present', { timeoutMs: 20_000 });
  } finally {
    await svc.close();
  }
  return card;
}

function runApp(args: string[], answers: string[]): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'electron/booking/cli.ts'), '--center', center.url, '--app-token', center.appToken, '--yes', ...args], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  child.stdin.end(answers.map((a) => `${a}\n`).join(''));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, out })));
}

describe('npm run app on PC/SC slot 1', () => {
  it('books a 利用者証明用 reset with the signature password verified on the card', async () => {
    const c = await insertCard();
    const r = await runApp(['--kind', 'auth'], [...front, 'WRONG1', 'abc123']);
    expect(r.out).toContain('パスワードが違います');
    expect(r.out).toContain('予約が完了しました');
    expect(r.code).toBe(0);
    expect(r.out).not.toMatch(/WRONG1|abc123|ABC123/i);
    const cardId = (await new JpkiClient(directChannel(c)).identify()).cardId;
    const list = await new AdminCenterClient({ baseUrl: center.url, token: center.adminToken }).list({ cardId });
    expect(list.bookings.map((b) => [b.kind, b.state, b.via])).toEqual([['auth', 'booked', 'app']]);
    // The wrong try was spent on the card, the right one restored the counter.
    expect(await new JpkiClient(directChannel(c)).triesLeft('sign')).toBe(5);
  });

  it('three wrong auth PINs lock it on the card, and the app sends the citizen to the counter', async () => {
    const c = await insertCard();
    const r = await runApp(['--kind', 'sign', '--face', 'pass'], [...front, '0000', '0001', '0002']);
    expect(r.code).toBe(2);
    expect(r.out).toContain('ロックされているため');
    expect(r.out).toContain('窓口');
    expect(await new JpkiClient(directChannel(c)).triesLeft('auth')).toBe(0);
  });
});
