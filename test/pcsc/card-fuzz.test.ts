/**
 * Fuzz through pcscd: a few thousand random and mutated APDUs to the virtual card over the real
 * PC/SC stack (reader service → pcscd → vpcd → card). pcscd may refuse some malformed commands
 * itself; the card must never throw, never answer outside its status words, never accept a reset
 * without a center MAC, and must still work normally afterwards.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JpkiClient } from '../../electron/jpki';
import { readCardFile } from '../../native/card/card-file';
import { loadCard, type LoadedCard } from '../../native/card/card-module';
import { createCard } from '../../native/card/issue';
import { ensurePcscd } from '../../native/pcscd/pcscd';
import type { ReaderChannel, PcscReaderService } from '../../native/pcsc/reader-service';
import type { VpcdCardConnection } from '../../native/vpcd/transport';
import { ALLOWED_SW, mutate, prng, seeds } from '../unit/card-fuzz-corpus';
import { insertInProcess, openCardService, removeInProcess } from './card-helpers';

const TOTAL = 3_000;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiosk-sim-pcsc-fuzz-'));
let svc: PcscReaderService;

beforeAll(async () => {
  await ensurePcscd({ logFile: '/tmp/kiosk-sim-pcscd-test.log' });
  svc = openCardService();
});

afterAll(async () => {
  await svc.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('fuzz through pcscd', () => {
  it(`the card survives ${TOTAL} random and mutated APDUs through pcscd and still works`, async () => {
    const { file } = await createCard('adult', { dir });
    const before = readCardFile(file);
    const card: LoadedCard = loadCard(file);
    const cardErrors: unknown[] = [];
    const guarded = {
      atr: card.atr,
      powerOn: () => card.powerOn(),
      powerOff: () => card.powerOff(),
      reset: () => card.reset(),
      transmit: (apdu: Buffer) => {
        try {
          return card.transmit(apdu);
        } catch (err) {
          cardErrors.push(err);
          throw err;
        }
      },
    };
    const conn: VpcdCardConnection = await insertInProcess(svc, guarded);
    conn.on('error', (err) => cardErrors.push(err));

    const rnd = prng(0x70637363); // "pcsc"
    const pool = seeds('adult').map((h) => Buffer.from(h, 'hex'));
    const sws = new Map<number, number>();
    let refusedByStack = 0;
    let ch: ReaderChannel = await svc.connect();
    for (let i = 0; i < TOTAL; i++) {
      const seed = pool[Math.floor(rnd() * pool.length)]!;
      const apdu = rnd() < 0.5 ? seed : mutate(rnd, seed);
      try {
        const r = await ch.transmit(apdu);
        sws.set(r.sw, (sws.get(r.sw) ?? 0) + 1);
        expect(ALLOWED_SW.has(r.sw), `step ${i}: SW ${r.sw.toString(16)} for ${apdu.toString('hex')}`).toBe(true);
        if (apdu[1] === 0x2c) expect(r.sw, `step ${i}: a reset without a MAC`).not.toBe(0x9000);
      } catch {
        // pcsc-lite refuses some malformed commands before they reach the card; a channel it
        // closed is opened again (the card itself is checked through cardErrors).
        refusedByStack++;
        if (ch.closedReason !== undefined) ch = await svc.connect();
      }
    }
    expect(cardErrors).toEqual([]);
    expect(sws.get(0x6f00) ?? 0).toBe(0);
    expect(refusedByStack).toBeLessThan(TOTAL / 2);

    // Still a working card, and nothing but PIN counters or values, and the count of challenges
    // given out (one per GET CHALLENGE answered 90 00), could have changed: no reset record.
    const c = new JpkiClient(ch);
    expect((await c.identify()).cardId).toBe(before.cardId);
    const after = readCardFile(file);
    expect({ ...after, pins: undefined, challengesIssued: undefined }).toEqual({ ...before, pins: undefined, challengesIssued: undefined });
    expect(after.resets).toBeUndefined();
    expect(after.challengesIssued ?? 0).toBeGreaterThanOrEqual(before.challengesIssued ?? 0);
    await ch.disconnect('leave');
    await removeInProcess(svc, conn);
    card.release();
  }, 120_000);
});
