/**
 * The app simulator's booking session (electron/booking/session.ts running flow.ts) against a fake
 * card (which keeps real retry counters) and a real embedded center over HTTP: what the citizen
 * sees at each step, what the card spent, and what the center recorded.
 */
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AdminCenterClient, AppCenterClient, CenterClientError, KioskCenterClient } from '../../electron/center/client';
import { startEmbeddedCenter, type EmbeddedCenter } from '../../electron/center/embedded';
import { openSqliteStorage } from '../../electron/center/sqlite-storage';
import { matchingNumberB } from '../../electron/booking/card-front';
import type { BookingRefusal, BookingState } from '../../electron/booking/flow';
import { BookingFlowError, BookingSession } from '../../electron/booking/session';
import { refusalGuidance } from '../../electron/booking/messages';
import type { BookingCard, BookingCenter, CardFront, CardFrontResult } from '../../electron/booking/ports';
import type { ResetKind, VerifyOutcome } from '../../electron/domain/passwords';
import { DEV_MASTER_KEY } from '../../native/jpki/reset-mac';
import { tempDir } from './center-fixture';

const FRONT: CardFront = { birthDate: '1990-01-02', cardExpiry: '2030-01-02', securityCode: '4321' };

/** A card with the virtual card's counters: 照合番号B 10 tries, auth 3, sign 5. */
class FakeCard implements BookingCard {
  simulator = true;
  hasSign = true;
  tries = { auth: 3, sign: 5, b: 10 };
  readonly values = { auth: '1234', sign: 'ABC123' };
  readonly sent: string[] = [];
  removed = false;
  constructor(readonly cardId = '0A1B2C3D') {}

  async identify() {
    if (this.removed) throw new Error('card removed');
    return { cardId: this.cardId, simulator: this.simulator, hasSignCertificate: this.hasSign };
  }
  async checkCardFront(front: CardFront): Promise<CardFrontResult> {
    if (!this.simulator) throw new Error('a real card would have been sent a VERIFY');
    this.sent.push('verify-b');
    if (this.tries.b === 0) return { result: 'locked' };
    if (matchingNumberB(front) === matchingNumberB(FRONT) && front.birthDate === FRONT.birthDate) {
      this.tries.b = 10;
      return { result: 'match' };
    }
    this.tries.b--;
    return this.tries.b === 0 ? { result: 'locked' } : { result: 'mismatch', triesLeft: this.tries.b };
  }
  async triesLeft(kind: ResetKind) {
    return this.tries[kind];
  }
  async verifyPassword(kind: ResetKind, value: string): Promise<VerifyOutcome> {
    if (!this.simulator) throw new Error('a real card would have been sent a VERIFY');
    this.sent.push(`verify-${kind}`);
    if (this.tries[kind] === 0) return { result: 'locked' };
    if (value === this.values[kind]) {
      this.tries[kind] = kind === 'auth' ? 3 : 5;
      return { result: 'verified' };
    }
    this.tries[kind]--;
    return { result: 'wrong', triesLeft: this.tries[kind] };
  }
}

let center: EmbeddedCenter;
let app: AppCenterClient;
let admin: AdminCenterClient;
let kiosk: KioskCenterClient;
beforeEach(async () => {
  center = await startEmbeddedCenter({ storage: openSqliteStorage(path.join(tempDir(), 'c.sqlite')), masterKey: DEV_MASTER_KEY });
  app = new AppCenterClient({ baseUrl: center.url, token: center.appToken });
  admin = new AdminCenterClient({ baseUrl: center.url, token: center.adminToken });
  kiosk = new KioskCenterClient({ baseUrl: center.url, token: center.kioskKeys['kiosk-01'] ?? '' });
});
afterEach(async () => {
  await center.close();
});

function flowFor(card: FakeCard, c: BookingCenter = app) {
  const flow = new BookingSession(card, c);
  const states: BookingState[] = [];
  flow.onChange((s) => states.push(s));
  return { flow, states };
}

async function toPassword(flow: BookingSession, kind: ResetKind) {
  flow.consent(true);
  flow.chooseKind(kind);
  return flow.submitCardFront(FRONT);
}

describe('booking flow (app simulator)', () => {
  it('books a 署名用 reset: card front, the auth PIN on the card (a wrong one costs a try), face check, booking', async () => {
    const card = new FakeCard();
    const { flow, states } = flowFor(card);
    expect(flow.state).toEqual({ step: 'consent' });
    expect(flow.consent(true)).toEqual({ step: 'choose-kind' });
    expect(flow.chooseKind('sign')).toEqual({ step: 'card-front', kind: 'sign' });
    expect(await flow.submitCardFront(FRONT)).toEqual({ step: 'other-password', kind: 'sign', cardId: '0A1B2C3D', asks: 'auth', triesLeft: 3 });
    expect(await flow.submitOtherPassword('9999')).toMatchObject({ step: 'other-password', asks: 'auth', triesLeft: 2, problem: { wrong: true } });
    expect(card.tries.auth).toBe(2);
    expect(await flow.submitOtherPassword('1234')).toMatchObject({ step: 'face-check', consecutiveFailures: 0, failuresBeforeLock: 5 });
    expect(card.tries.auth).toBe(3);
    expect(await flow.submitFaceCheck(false)).toMatchObject({ step: 'face-check', consecutiveFailures: 1, failuresBeforeLock: 4, lastFailed: true });
    const done = await flow.submitFaceCheck(true);
    expect(done).toMatchObject({ step: 'booked', kind: 'sign', cardId: '0A1B2C3D', replaced: null });
    // The kiosk now finds it; the trainer sees it.
    await expect(kiosk.check('0A1B2C3D', 'sign')).resolves.toMatchObject({ status: 'usable', bookingId: done.step === 'booked' ? done.bookingId : '' });
    const list = await admin.list({ cardId: '0A1B2C3D' });
    expect(list.bookings.map((b) => [b.kind, b.via, b.state])).toEqual([['sign', 'app', 'booked']]);
    expect(states.map((s) => s.step)).toEqual(['choose-kind', 'card-front', 'other-password', 'other-password', 'face-check', 'face-check', 'booked']);
    // No password value is ever part of a state.
    expect(JSON.stringify(states)).not.toMatch(/1234|9999/);
  });

  it('books a 利用者証明用 reset with the signature password (typed in lower case) and no face check', async () => {
    const card = new FakeCard();
    const { flow } = flowFor(card);
    expect(await toPassword(flow, 'auth')).toMatchObject({ step: 'other-password', asks: 'sign', triesLeft: 5 });
    expect(await flow.submitOtherPassword('abc123')).toMatchObject({ step: 'booked', kind: 'auth' });
    await expect(kiosk.check('0A1B2C3D', 'auth')).resolves.toMatchObject({ status: 'usable' });
  });

  it('a new booking replaces the earlier one of the same kind', async () => {
    const card = new FakeCard();
    const first = flowFor(card).flow;
    await toPassword(first, 'auth');
    const a = await first.submitOtherPassword('ABC123');
    const second = flowFor(card).flow;
    await toPassword(second, 'auth');
    const b = await second.submitOtherPassword('ABC123');
    expect(b).toMatchObject({ step: 'booked', replaced: a.step === 'booked' ? a.bookingId : 'x' });
  });

  it('malformed entries are caught before the card: no try is spent', async () => {
    const card = new FakeCard();
    const { flow } = flowFor(card);
    flow.consent(true);
    flow.chooseKind('sign');
    expect(await flow.submitCardFront({ ...FRONT, birthDate: '1990-02-30' })).toEqual({ step: 'card-front', kind: 'sign', problem: { field: 'birth-date' } });
    expect(await flow.submitCardFront({ ...FRONT, securityCode: '12' })).toMatchObject({ problem: { field: 'security-code' } });
    await flow.submitCardFront(FRONT);
    expect(await flow.submitOtherPassword('12a4')).toMatchObject({ step: 'other-password', triesLeft: 3, problem: { format: 'digits-only-allowed' } });
    expect(await flow.submitOtherPassword('123')).toMatchObject({ problem: { format: 'too-short' } });
    expect(card.sent).toEqual(['verify-b']);
    expect(card.tries.auth).toBe(3);
  });

  it('a card front that does not match stays on the step with the tries left; a blocked one ends the session', async () => {
    const card = new FakeCard();
    const { flow } = flowFor(card);
    flow.consent(true);
    flow.chooseKind('auth');
    expect(await flow.submitCardFront({ ...FRONT, securityCode: '0000' })).toEqual({ step: 'card-front', kind: 'auth', problem: { mismatch: true, triesLeft: 9 } });
    card.tries.b = 1;
    expect(await flow.submitCardFront({ ...FRONT, securityCode: '0000' })).toMatchObject({ step: 'refused', reason: 'card-front-locked' });
  });

  it('wrong passwords until the card locks it end in password-locked; a locked one is refused before any VERIFY', async () => {
    const card = new FakeCard();
    const { flow } = flowFor(card);
    await toPassword(flow, 'sign');
    await flow.submitOtherPassword('0000');
    await flow.submitOtherPassword('0001');
    expect(await flow.submitOtherPassword('0002')).toMatchObject({ step: 'refused', reason: 'password-locked', kind: 'sign' });
    expect(card.tries.auth).toBe(0);
    const again = flowFor(card).flow;
    expect(await toPassword(again, 'sign')).toMatchObject({ step: 'refused', reason: 'password-locked' });
    expect(card.sent.filter((c) => c === 'verify-auth')).toHaveLength(3);
  });

  it('5 failed face checks lock the app for the card; the next session is refused before the card is touched', async () => {
    const card = new FakeCard();
    const { flow } = flowFor(card);
    await toPassword(flow, 'sign');
    await flow.submitOtherPassword('1234');
    for (let i = 1; i <= 4; i++) expect(await flow.submitFaceCheck(false)).toMatchObject({ step: 'face-check', consecutiveFailures: i });
    expect(await flow.submitFaceCheck(false)).toMatchObject({ step: 'refused', reason: 'app-locked' });
    const sentBefore = card.sent.length;
    const next = flowFor(card).flow;
    expect(await toPassword(next, 'auth')).toMatchObject({ step: 'refused', reason: 'app-locked' });
    expect(card.sent).toHaveLength(sentBefore);
    await expect(kiosk.check('0A1B2C3D', 'sign')).resolves.toMatchObject({ status: 'locked', reason: 'app-locked' });
    await admin.clearLock('0A1B2C3D');
    expect(await toPassword(flowFor(card).flow, 'auth')).toMatchObject({ step: 'other-password' });
  });

  it('in maintenance the app says until when, and touches nothing on the card', async () => {
    const now = (await admin.clock()).now;
    await admin.setMaintenance([{ from: now - 60_000, until: now + 3_600_000 }]);
    const card = new FakeCard();
    const { flow } = flowFor(card);
    const s = await toPassword(flow, 'sign');
    expect(s).toEqual({ step: 'refused', reason: 'maintenance', kind: 'sign', until: now + 3_600_000 });
    expect(card.sent).toEqual([]);
    expect(refusalGuidance(s as Extract<BookingState, { step: 'refused' }>).next.ja).toMatch(/以降にもう一度/);
  });

  it('a real card is only read: refused before any VERIFY', async () => {
    const card = new FakeCard();
    card.simulator = false;
    const { flow } = flowFor(card);
    expect(await toPassword(flow, 'sign')).toMatchObject({ step: 'refused', reason: 'real-card' });
    expect(card.sent).toEqual([]);
  });

  it.each([
    ['sign', 'no-sign-certificate'],
    ['auth', 'no-other-password'],
  ] as const)('a card without a signature certificate cannot book %s (%s)', async (kind, reason) => {
    const card = new FakeCard();
    card.hasSign = false;
    expect(await toPassword(flowFor(card).flow, kind)).toMatchObject({ step: 'refused', reason });
  });

  it('a card removed or a center down ends in a clear refusal, and no booking is claimed', async () => {
    const card = new FakeCard();
    card.removed = true;
    expect(await toPassword(flowFor(card).flow, 'sign')).toMatchObject({ step: 'refused', reason: 'card-unavailable' });
    const down: BookingCenter = {
      cardStatus: () => Promise.reject(new CenterClientError('UNREACHABLE', 'down')),
      faceCheck: () => Promise.reject(new CenterClientError('TIMEOUT', 'slow')),
      book: () => Promise.reject(new CenterClientError('TIMEOUT', 'slow')),
    };
    expect(await toPassword(flowFor(new FakeCard(), down).flow, 'sign')).toMatchObject({ step: 'refused', reason: 'center-unavailable' });
    // Down only at the end: the booking is not claimed.
    const late: BookingCenter = { cardStatus: (id) => app.cardStatus(id), faceCheck: (id, p) => app.faceCheck(id, p), book: () => Promise.reject(new CenterClientError('TIMEOUT', 'slow')) };
    const f = flowFor(new FakeCard(), late).flow;
    await toPassword(f, 'auth');
    expect(await f.submitOtherPassword('ABC123')).toMatchObject({ step: 'refused', reason: 'center-unavailable' });
  });

  it('refuses intents out of step, and a cancel drops an answer still on its way', async () => {
    const card = new FakeCard();
    const { flow } = flowFor(card);
    expect(() => flow.chooseKind('sign')).toThrow(BookingFlowError);
    flow.consent(true);
    await expect(flow.submitOtherPassword('1234')).rejects.toThrow(/not possible at the choose-kind step/);
    flow.chooseKind('sign');
    const pending = flow.submitCardFront(FRONT);
    expect(() => flow.consent(true)).toThrow(expect.objectContaining({ code: 'BUSY' }) as Error);
    expect(flow.cancel()).toEqual({ step: 'cancelled' });
    await pending;
    expect(flow.state).toEqual({ step: 'cancelled' });
    expect(() => flow.cancel()).toThrow(BookingFlowError);
    const declined = flowFor(card).flow;
    expect(declined.consent(false)).toEqual({ step: 'cancelled' });
  });

  it.each<BookingRefusal>([
    'maintenance',
    'app-locked',
    'real-card',
    'no-sign-certificate',
    'no-other-password',
    'card-front-locked',
    'password-locked',
    'card-unavailable',
    'center-unavailable',
    'center-refused',
  ])('refusal %s says why and where to go next, Japanese and English', (reason) => {
    const g = refusalGuidance({ step: 'refused', reason, kind: 'sign' });
    for (const m of [g.why, g.next]) {
      expect(m.ja).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
      expect(m.en.length).toBeGreaterThan(5);
    }
  });
});
