/**
 * The booking flow on the virtual My Number card (in process, through the kiosk's JPKI client) and
 * a real embedded center: the card-front check and the other password really run on the card, and
 * the booking it makes is the one a kiosk then redeems — the center's MAC opens the card's reset.
 */
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppCenterClient, KioskCenterClient } from '../../electron/center/client';
import { startEmbeddedCenter, type EmbeddedCenter } from '../../electron/center/embedded';
import { openSqliteStorage } from '../../electron/center/sqlite-storage';
import { BookingSession } from '../../electron/booking/session';
import { JpkiBookingCard } from '../../electron/booking/jpki-card';
import type { CardFront } from '../../electron/booking/ports';
import { directChannel, JpkiClient } from '../../electron/jpki';
import { readCardFile } from '../../native/card/card-file';
import type { PersonaId } from '../../native/card/personas';
import { DEV_MASTER_KEY } from '../../native/jpki/reset-mac';
import { CardFactory } from './card-fixtures';
import { tempDir } from './center-fixture';

const cards = new CardFactory();
afterAll(() => cards.cleanup());

let center: EmbeddedCenter;
beforeEach(async () => {
  center = await startEmbeddedCenter({ storage: openSqliteStorage(path.join(tempDir(), 'c.sqlite')), masterKey: DEV_MASTER_KEY });
});
afterEach(async () => {
  await center.close();
});

async function onCard(persona: PersonaId) {
  const { card } = await cards.fresh(persona);
  const holder = readCardFile(await cards.file(persona)).holder;
  const front: CardFront = { birthDate: holder.birthDate, cardExpiry: holder.cardExpiry, securityCode: holder.securityCode };
  const client = new JpkiClient(directChannel(card));
  const flow = new BookingSession(new JpkiBookingCard(client), new AppCenterClient({ baseUrl: center.url, token: center.appToken }));
  flow.consent(true);
  return { card, client, front, flow };
}

describe('booking on the virtual card', () => {
  beforeAll(async () => {
    await cards.file('adult');
  });

  it('books 署名用 on the adult card; a kiosk then resets the password with the center’s MAC', async () => {
    const { client, front, flow } = await onCard('adult');
    flow.chooseKind('sign');
    const s = await flow.submitCardFront(front);
    expect(s).toMatchObject({ step: 'other-password', asks: 'auth', triesLeft: 3 });
    expect(await flow.submitOtherPassword('0000')).toMatchObject({ triesLeft: 2, problem: { wrong: true } });
    expect(await client.triesLeft('auth')).toBe(2);
    expect(await flow.submitOtherPassword('1234')).toMatchObject({ step: 'face-check' });
    const booked = await flow.submitFaceCheck(true);
    expect(booked).toMatchObject({ step: 'booked', kind: 'sign' });
    const cardId = booked.step === 'booked' ? booked.cardId : '';

    // The kiosk side of docs/reset-protocol.md, with the booking the app made.
    const kiosk = new KioskCenterClient({ baseUrl: center.url, token: center.kioskKeys['kiosk-01'] ?? '' });
    const id = await client.identify();
    expect(id.cardId).toBe(cardId);
    await expect(kiosk.check(cardId, 'sign')).resolves.toMatchObject({ status: 'usable' });
    const challenge = await client.getChallenge();
    const receipt = await client.readResetReceipt('sign');
    const auth = await kiosk.authorize({ cardId, kind: 'sign', challenge, receipt, requestId: 'kiosk-01:booking-e2e' });
    await client.externalAuthenticate('sign', auth.mac);
    await client.resetRetryCounter('sign', 'NEW2PASS');
    await kiosk.confirm({ bookingId: auth.bookingId, requestId: 'kiosk-01:booking-e2e' });
    expect(await client.verify('sign', 'NEW2PASS')).toEqual({ result: 'verified' });
    await expect(kiosk.check(cardId, 'sign')).resolves.toMatchObject({ status: 'used' });
  });

  it('checks the card front on the 券面AP: a wrong security code costs a 照合番号B try, a right one restores them', async () => {
    const { client, front, flow } = await onCard('adult');
    flow.chooseKind('auth');
    expect(await flow.submitCardFront({ ...front, securityCode: front.securityCode === '0000' ? '0001' : '0000' })).toEqual({
      step: 'card-front',
      kind: 'auth',
      problem: { mismatch: true, triesLeft: 9 },
    });
    // Right 照合番号B, wrong century: the face file tells.
    const century = `${Number(front.birthDate.slice(0, 4)) - 100}${front.birthDate.slice(4)}`;
    expect(await flow.submitCardFront({ ...front, birthDate: century })).toMatchObject({ step: 'card-front', problem: { mismatch: true, triesLeft: 10 } });
    expect(await flow.submitCardFront(front)).toMatchObject({ step: 'other-password', asks: 'sign', triesLeft: 5 });
    expect(await flow.submitOtherPassword('abc123')).toMatchObject({ step: 'booked', kind: 'auth' });
    expect(await client.triesLeft('sign')).toBe(5);
  });

  it('refuses the under-15 card (no signature certificate) for both kinds', async () => {
    for (const kind of ['sign', 'auth'] as const) {
      const { front, flow } = await onCard('under15');
      flow.chooseKind(kind);
      expect(await flow.submitCardFront(front)).toMatchObject({ step: 'refused', reason: kind === 'sign' ? 'no-sign-certificate' : 'no-other-password' });
    }
  });

  it('the adapter sends no try-costing command to a card it has not proved to be a simulator card', async () => {
    const { client, front } = await onCard('adult');
    await expect(new JpkiBookingCard(client).checkCardFront(front)).rejects.toMatchObject({ code: 'REAL_CARD_READ_ONLY' });
    await expect(new JpkiBookingCard(client).verifyPassword('auth', '1234')).rejects.toMatchObject({ code: 'REAL_CARD_READ_ONLY' });
  });
});
