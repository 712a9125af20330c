/**
 * `npm run card -- insert/remove/status` with the slot daemon and the real pcscd, and the kiosk's
 * JPKI client reading the card through the PC/SC reader service, as the kiosk does.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { JpkiClient } from '../../electron/jpki';
import { readCardFile } from '../../native/card/card-file';
import { diversifyResetKey, masterKeyFromEnv, resetMac } from '../../native/jpki/reset-mac';
import { ensurePcscd } from '../../native/pcscd/pcscd';
import type { PcscReaderService } from '../../native/pcsc/reader-service';
import { CARD_READER, CARD_SLOT, cardCli, openCardService, waitForEmptySlot } from './card-helpers';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiosk-sim-card-slot-'));
let svc: PcscReaderService;

beforeAll(async () => {
  await ensurePcscd({ logFile: '/tmp/kiosk-sim-pcscd-test.log' });
  svc = openCardService();
  await waitForEmptySlot(svc);
});

// A failed test must not leave its card in the slot for the next one.
afterEach(async () => {
  await cardCli(['remove', '--slot', String(CARD_SLOT)], dir);
});

afterAll(async () => {
  await cardCli(['remove', '--slot', String(CARD_SLOT)], dir);
  await svc.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const slot = ['--slot', String(CARD_SLOT)];

async function client(): Promise<{ c: JpkiClient; done: () => Promise<void> }> {
  const ch = await svc.connect();
  return { c: new JpkiClient(ch), done: () => ch.disconnect('leave') };
}

describe('npm run card with pcscd', () => {
  it('insert returns once pcscd sees the card, and the kiosk client reads it through PC/SC', async () => {
    expect((await cardCli(['create', 'adult'], dir)).code).toBe(0);
    const ins = await cardCli(['insert', 'adult', ...slot], dir);
    expect(ins.stderr).toBe('');
    expect(ins.stdout).toMatch(/inserted adult into slot 1/);
    // No waiting here: the command's return is the promise that pcscd already sees it.
    await svc.listReaders();
    expect(svc.readers().find((r) => r.name === CARD_READER)?.card.present).toBe(true);
    const { c, done } = await client();
    const profile = await c.readCardProfile();
    expect(profile.identity.kind).toBe('simulator');
    expect(profile.identity.cardId).toBe(readCardFile(path.join(dir, 'adult.card.json')).cardId);
    expect(profile.triesLeft).toEqual({ auth: 3, sign: 5 });
    await done();
  });

  it('a wrong PIN sent through PC/SC is on disk at once, and survives remove and re-insert', async () => {
    expect((await cardCli(['insert', 'adult', ...slot], dir)).code).toBe(0);
    const { c, done } = await client();
    await c.identify();
    expect(await c.verify('auth', '0000')).toEqual({ result: 'wrong', triesLeft: 2 });
    await done();
    // The trainer sees it while the card is still in the slot…
    const status = await cardCli(['status', 'adult'], dir);
    expect(status.stdout).toMatch(/auth\s+2\/3/);
    expect(status.stdout).toMatch(/in use: yes/);
    expect(status.stdout).not.toMatch(/ PIN \S/); // no PIN value without --show-pins
    // …and the card remembers it after being taken out and put back, like a chip.
    expect((await cardCli(['remove', ...slot], dir)).stdout).toMatch(/removed adult from slot 1/);
    expect((await cardCli(['insert', 'adult', ...slot], dir)).code).toBe(0);
    const again = await client();
    expect(await again.c.triesLeft('auth')).toBe(2);
    await again.done();
    expect((await cardCli(['remove', ...slot], dir)).code).toBe(0);
  });

  it('inserting a persona makes a new card of it; the center-authorized reset works through PC/SC', async () => {
    const ins = await cardCli(['insert', 'sign-locked', ...slot], dir);
    expect(ins.code, ins.stderr).toBe(0);
    expect(ins.stdout).toMatch(/created card sign-locked/);
    const { c, done } = await client();
    const identity = await c.identify();
    expect(await c.triesLeft('sign')).toBe(0);
    const challenge = await c.getChallenge();
    await c.externalAuthenticate('sign', resetMac(diversifyResetKey(masterKeyFromEnv(), identity.cardId), 'sign', challenge));
    await c.resetRetryCounter('sign', 'KIOSK2024');
    expect(await c.verify('sign', 'KIOSK2024')).toEqual({ result: 'verified' });
    await done();
    expect((await cardCli(['remove', ...slot], dir)).code).toBe(0);
    expect((await cardCli(['status', 'sign-locked'], dir)).stdout).toMatch(/sign\s+5\/5/);
  });

  it('says clearly why it cannot insert: a busy slot, a card already in use, a missing card', async () => {
    expect((await cardCli(['insert', 'adult', ...slot], dir)).code).toBe(0);
    const busy = await cardCli(['insert', 'sign-locked', ...slot], dir);
    expect(busy.code).toBe(1);
    expect(busy.stderr).toMatch(/^SLOT_BUSY: slot 1 holds card adult/);
    // The card is refused before any slot is touched (slot 0 belongs to other tests).
    const twice = await cardCli(['insert', 'adult', '--slot', '0'], dir);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(/^CARD_FILE_LOCKED: card adult\.card\.json is already inserted/);
    const missing = await cardCli(['insert', 'nobody', ...slot], dir);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^CARD_FILE_MISSING: no card named nobody/);
    expect((await cardCli(['remove', ...slot], dir)).code).toBe(0);
    expect((await cardCli(['remove', ...slot], dir)).stdout).toMatch(/slot 1 was empty/);
  });
});
