/**
 * The app simulator's phone reader on the real PC/SC stack: vpcd slot 1 ("Virtual PCD 00 01"), the
 * slot the kiosk does not read. A host's card goes on through a slot daemon and the booking flow
 * reads it through pcscd; a card someone else put in the slot is never taken out (the phone says
 * the reader is busy); a card held by another process cannot be put on the phone as well.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PhoneReaderError, VpcdPhoneReader } from '../../electron/host/app-simulator';
import { loadCard } from '../../native/card/card-module';
import { createCard } from '../../native/card/issue';
import { PcscReaderService } from '../../native/pcsc';
import { ensurePcscd } from '../../native/pcscd/pcscd';
import { MinimalJpkiCard } from '../../native/vpcd/test-cards';
import { insertVirtualCard, virtualReaderName, type VpcdCardConnection } from '../../native/vpcd/transport';

const SLOT = 1;
const READER = virtualReaderName(SLOT);

let dir: string;
let cardFile: string;
let phone: VpcdPhoneReader;
let foreign: VpcdCardConnection | undefined;

/** Waits until pcscd sees the phone's reader as `present` or not. */
async function seen(present: boolean): Promise<void> {
  const svc = new PcscReaderService({ reader: { name: READER } });
  try {
    await svc.waitForState((s) => (present ? s.status === 'card-present' : s.status === 'no-card'), { timeoutMs: 20_000 });
  } finally {
    await svc.close();
  }
}

beforeAll(async () => {
  await ensurePcscd();
  // Another test may be finishing with this slot: start once it is empty.
  await seen(false);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'app-phone-'));
  cardFile = (await createCard('adult', { dir: path.join(dir, 'cards'), name: 'adult' })).file;
  phone = new VpcdPhoneReader({ slot: SLOT, cardDir: path.join(dir, 'cards'), runDir: path.join(dir, 'run') });
});

afterEach(async () => {
  await foreign?.remove();
  foreign = undefined;
});

afterAll(async () => {
  await phone.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the phone’s reader (vpcd slot 1)', () => {
  it('puts the host’s card on through a slot daemon; the flow reads it through pcscd; it comes off again', async () => {
    await phone.place(cardFile);
    await seen(true);
    const id = await phone.card().identify();
    expect(id).toMatchObject({ simulator: true, hasSignCertificate: true });
    await phone.remove();
    await seen(false);
  });

  it('never takes out a card someone else put there: the reader is busy', async () => {
    foreign = await insertVirtualCard(new MinimalJpkiCard(), { slot: SLOT, retryForMs: 10_000 });
    await seen(true);
    await expect(phone.place(cardFile)).rejects.toMatchObject({ code: 'reader-busy' });
    // Still there, untouched.
    await seen(true);
  });

  it('a card another process holds (on the kiosk’s reader, say) cannot go onto the phone too', async () => {
    const held = loadCard(cardFile);
    try {
      const err = await phone.place(cardFile).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PhoneReaderError);
      expect((err as PhoneReaderError).code).toBe('card-in-use');
    } finally {
      held.release();
    }
  });
});
