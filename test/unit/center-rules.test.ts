import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkReservation, decideAuthorize, decideCheck, decideConfirm, decideRelease, effectiveHistory } from '../../electron/center/rules';
import type { BookingRecord, CardState } from '../../electron/center/storage';
import { NO_LOCK } from '../../electron/center/storage';
import { AUTHORIZATION_HOLD_MS, RESERVATION_VALIDITY_MS } from '../../electron/domain/reservation';
import type { ResetReceipt } from '../../native/jpki/reset-receipt';
import { receiptHex } from '../fakes/receipts';
import { DEV_MASTER_KEY, diversifyResetKey, resetMac } from '../../native/jpki/reset-mac';
import { IDENTITY_AUTH, IDENTITY_SIGN, T0, makeCenter, type Fixture } from './center-fixture';

const HOUR = 60 * 60 * 1000;
const SEC = 1000;

function booking(over: Partial<BookingRecord> = {}): BookingRecord {
  return {
    id: 'bk_' + '0'.repeat(32),
    cardId: 'C0FFEE',
    kind: 'sign',
    state: 'booked',
    via: 'app',
    completedAt: T0,
    expiresAt: T0 + RESERVATION_VALIDITY_MS,
    authorization: null,
    use: null,
    ...over,
  };
}
const card = (over: Partial<CardState> = {}): CardState => ({ cardId: 'C0FFEE', lock: NO_LOCK, latest: {}, ...over });

const P = 'AA'.repeat(8);
const Q = 'BB'.repeat(8);
const C = 'CC'.repeat(8);
/** Authorized for challenge P, given on a receipt saying: 2 resets so far, challenge number 10. */
const AUTH_P = { kioskId: 'k1', requestId: 'req-00000001', challenge: P, at: T0, resetCount: 2, challengeSeq: 10 };
const receipt = (over: Partial<ResetReceipt> = {}): ResetReceipt => ({ resetCount: 2, lastChallenge: Q, currentChallenge: C, challengeSeq: 11, ...over });

describe('kiosk check rule (pure, from a table)', () => {
  it.each([
    ['booked 23:59:59 ago', card({ latest: { sign: booking() } }), T0 + 24 * HOUR - SEC, 'usable', 'usable'],
    ['booked exactly 24:00:00 ago', card({ latest: { sign: booking() } }), T0 + 24 * HOUR, 'expired', 'expired'],
    ['booked, just now', card({ latest: { sign: booking() } }), T0, 'usable', 'usable'],
    ['no booking at all', card(), T0, 'none', 'no-booking'],
    ['only a usable booking of the other kind', card({ latest: { auth: booking({ kind: 'auth' }) } }), T0, 'none', 'kind-mismatch'],
    ['only an expired booking of the other kind', card({ latest: { auth: booking({ kind: 'auth' }) } }), T0 + 25 * HOUR, 'none', 'no-booking'],
    ['authorized (reset under way)', card({ latest: { sign: booking({ state: 'authorized', authorization: AUTH_P }) } }), T0, 'used', 'used'],
    ['authorized, the hold lapsed: usable again (authorize still needs the card’s receipt)', card({ latest: { sign: booking({ state: 'authorized', authorization: AUTH_P }) } }), T0 + AUTHORIZATION_HOLD_MS, 'usable', 'usable'],
    ['authorized, the hold lapsed after the 24 h', card({ latest: { sign: booking({ state: 'authorized', authorization: { ...AUTH_P, at: T0 + 24 * HOUR - SEC } }) } }), T0 + 25 * HOUR, 'expired', 'expired'],
    ['used', card({ latest: { sign: booking({ state: 'used' }) } }), T0, 'used', 'used'],
    ['expired by a trainer', card({ latest: { sign: booking({ state: 'expired' }) } }), T0, 'expired', 'expired'],
    ['app locked, with a usable booking', card({ lock: { consecutiveFailures: 5, lockedAt: T0 }, latest: { sign: booking() } }), T0, 'locked', 'app-locked'],
  ] as const)('%s → %s (%s)', (_what, c, now, status, reason) => {
    const v = checkReservation(c, 'sign', now);
    expect([v.status, v.reason]).toEqual([status, reason]);
  });

  it('authorizes only a usable booking, and a repeat of the same request only while authorized', () => {
    const input = { kind: 'sign' as const, kioskId: 'k1', requestId: 'req-00000001', challenge: '00'.repeat(8), evidence: receipt({ currentChallenge: '00'.repeat(8), challengeSeq: 1 }) };
    const first = decideAuthorize(card({ latest: { sign: booking() } }), input, { now: T0, maintenance: [] });
    expect(first.result).toMatchObject({ ok: true, replayed: false });
    expect(first.changes).toEqual([expect.objectContaining({ type: 'transition', from: 'booked', to: 'authorized' })]);
    const authorized = booking({ state: 'authorized', authorization: { kioskId: 'k1', requestId: 'req-00000001', challenge: '00'.repeat(8), at: T0, resetCount: 2, challengeSeq: 1 } });
    expect(decideAuthorize(card({ latest: { sign: authorized } }), input, { now: T0, maintenance: [] })).toMatchObject({ result: { ok: true, replayed: true }, changes: [] });
    expect(decideAuthorize(card({ latest: { sign: authorized } }), { ...input, requestId: 'req-00000002' }, { now: T0, maintenance: [] }).result).toEqual({ ok: false, reason: 'used' });
    expect(decideAuthorize(card({ latest: { sign: authorized } }), { ...input, challenge: '11'.repeat(8) }, { now: T0, maintenance: [] }).result).toEqual({ ok: false, reason: 'request-id-reused' });
    const used = { ...authorized, state: 'used' as const, use: { kioskId: 'k1', requestId: 'req-00000001', at: T0 } };
    expect(decideAuthorize(card({ latest: { sign: used } }), input, { now: T0, maintenance: [] }).result).toEqual({ ok: false, reason: 'used' });
  });

  it('confirms once, replays the same kiosk request, refuses everything else', () => {
    const auth = { kioskId: 'k1', requestId: 'req-00000001', challenge: '00'.repeat(8), at: T0, resetCount: 0, challengeSeq: 1 };
    const authorized = booking({ state: 'authorized', authorization: auth });
    expect(decideConfirm(authorized, { kioskId: 'k1', requestId: 'c-00000001' }, { now: T0 }).result).toMatchObject({ ok: true, replayed: false });
    expect(decideConfirm(authorized, { kioskId: 'k2', requestId: 'c-00000001' }, { now: T0 }).result).toEqual({ ok: false, reason: 'not-authorized' });
    expect(decideConfirm(booking(), { kioskId: 'k1', requestId: 'c-00000001' }, { now: T0 }).result).toEqual({ ok: false, reason: 'not-authorized' });
    const used = booking({ state: 'used', authorization: auth, use: { kioskId: 'k1', requestId: 'c-00000001', at: T0 } });
    expect(decideConfirm(used, { kioskId: 'k1', requestId: 'c-00000001' }, { now: T0 + 5 }).result).toEqual({ ok: true, bookingId: used.id, usedAt: T0, replayed: true });
    expect(decideConfirm(used, { kioskId: 'k1', requestId: 'c-00000002' }, { now: T0 }).result).toEqual({ ok: false, reason: 'used' });
    expect(decideConfirm(undefined, { kioskId: 'k1', requestId: 'c-00000001' }, { now: T0 }).result).toEqual({ ok: false, reason: 'no-booking' });
    // Naming the authorization: a confirm for one that was given back is refused.
    expect(decideConfirm(authorized, { kioskId: 'k1', requestId: 'c-00000001', authorizationRequestId: 'req-00000001' }, { now: T0 }).result).toMatchObject({ ok: true });
    expect(decideConfirm(authorized, { kioskId: 'k1', requestId: 'c-00000001', authorizationRequestId: 'req-00000009' }, { now: T0 }).result).toEqual({ ok: false, reason: 'not-authorized' });
  });
});

describe('the card’s receipt settles an earlier authorization (pure, from a table)', () => {
  const held = card({ latest: { sign: booking({ state: 'authorized', authorization: AUTH_P }) } });
  it.each<[string, ResetReceipt, number, string, object]>([
    ['the card’s last reset used P', receipt({ resetCount: 3, lastChallenge: P }), T0, 'used: refused, and the booking is spent', { ok: false, reason: 'used' }],
    ['a later challenge, no reset since', receipt(), T0, 'P given back, C authorized', { ok: true, replayed: false }],
    ['a later challenge, one reset since with another challenge', receipt({ resetCount: 3 }), T0, 'P given back, C authorized', { ok: true, replayed: false }],
    ['a receipt not newer than P', receipt({ challengeSeq: 10 }), T0, 'refused: P may still be used', { ok: false, reason: 'used' }],
    ['two resets since, the last with another challenge', receipt({ resetCount: 4 }), T0, 'refused: cannot tell', { ok: false, reason: 'used' }],
    ['the hold lapsed, and the card proves P unused', receipt(), T0 + AUTHORIZATION_HOLD_MS + 1, 'P given back, C authorized', { ok: true, replayed: false }],
    ['the hold lapsed, but the card shows P used', receipt({ resetCount: 3, lastChallenge: P }), T0 + AUTHORIZATION_HOLD_MS + 1, 'used', { ok: false, reason: 'used' }],
  ])('authorize with a receipt where %s → %s', (_what, ev, now, _says, result) => {
    const d = decideAuthorize(held, { kind: 'sign', kioskId: 'k2', requestId: 'req-00000002', challenge: C, evidence: ev }, { now, maintenance: [] });
    expect(d.result).toMatchObject(result);
    const types = d.changes.map((c) => (c.type === 'transition' ? `${c.from}→${c.to}` : c.type));
    if ('ok' in result && result.ok) {
      expect(types).toEqual(['release', 'booked→authorized']);
      expect(d.result).toMatchObject({ booking: { authorization: { challenge: C, resetCount: ev.resetCount, challengeSeq: ev.challengeSeq } } });
    } else if (ev.lastChallenge === P) expect(types).toEqual(['authorized→used']);
    else expect(types).toEqual([]);
  });

  it('a receipt that does not name the challenge being authorized proves nothing about now', () => {
    const d = decideAuthorize(card({ latest: { sign: booking() } }), { kind: 'sign', kioskId: 'k2', requestId: 'req-00000002', challenge: C, evidence: receipt({ currentChallenge: Q }) }, { now: T0, maintenance: [] });
    expect(d).toEqual({ result: { ok: false, reason: 'receipt-invalid' }, changes: [] });
  });

  it.each<[string, ResetReceipt | null, string, string, boolean, string[]]>([
    ['no receipt, P held', null, 'used', 'used', false, []],
    ['the card shows P used', receipt({ resetCount: 3, lastChallenge: P }), 'used', 'used', true, ['authorized→used']],
    ['the card proves P unused', receipt(), 'usable', 'usable', false, ['release']],
    ['a receipt not newer than P', receipt({ challengeSeq: 9 }), 'used', 'used', false, []],
  ])('check with %s → %s', (_what, ev, status, reason, resetOnCard, changes) => {
    const d = decideCheck(held, 'sign', ev, { now: T0, kioskId: 'k2', requestId: 'ck-00000001' });
    expect([d.result.status, d.result.reason, d.result.resetOnCard]).toEqual([status, reason, resetOnCard]);
    expect(d.changes.map((c) => (c.type === 'transition' ? `${c.from}→${c.to}` : c.type))).toEqual(changes);
  });

  it('release: only the authorizing kiosk, for its own authorization; a used booking is refused; idempotent', () => {
    const authorized = booking({ state: 'authorized', authorization: AUTH_P });
    const mine = { kioskId: 'k1', authorizationRequestId: 'req-00000001', reason: 'not-sent' as const };
    const d = decideRelease(authorized, mine, { now: T0 + 5 });
    expect(d.result).toEqual({ ok: true, bookingId: authorized.id, released: true, state: 'booked' });
    expect(d.changes).toEqual([expect.objectContaining({ type: 'release', authorization: AUTH_P, at: T0 + 5 })]);
    expect(decideRelease(authorized, { ...mine, kioskId: 'k2' }, { now: T0 })).toEqual({ result: { ok: true, bookingId: authorized.id, released: false, state: 'authorized' }, changes: [] });
    expect(decideRelease(authorized, { ...mine, authorizationRequestId: 'req-00000009' }, { now: T0 }).result).toMatchObject({ released: false });
    expect(decideRelease(booking(), mine, { now: T0 })).toEqual({ result: { ok: true, bookingId: authorized.id, released: false, state: 'booked' }, changes: [] });
    expect(decideRelease(booking({ state: 'used', authorization: AUTH_P }), mine, { now: T0 }).result).toEqual({ ok: false, reason: 'used' });
    expect(decideRelease(undefined, mine, { now: T0 }).result).toEqual({ ok: false, reason: 'no-booking' });
  });

  it('a lapsed hold shows in the history', () => {
    const b = booking({ state: 'authorized', authorization: AUTH_P });
    expect(effectiveHistory(b, [], T0 + AUTHORIZATION_HOLD_MS)).toEqual([{ state: 'booked', at: T0 + AUTHORIZATION_HOLD_MS, note: expect.stringContaining('hold lapsed') }]);
    expect(effectiveHistory(b, [], T0 + AUTHORIZATION_HOLD_MS - 1)).toEqual([]);
  });
});

describe('reservation center rules, through the HTTP API and a real SQLite file', () => {
  let fx: Fixture;
  beforeEach(async () => {
    fx = await makeCenter();
  });
  afterEach(async () => {
    await fx.close();
  });

  const book = (cardId: string, kind: 'sign' | 'auth', identity: object = kind === 'sign' ? IDENTITY_SIGN : IDENTITY_AUTH) =>
    fx.post('/v1/app/bookings', 'app', { cardId, kind, identity });
  const check = (cardId: string, kind: 'sign' | 'auth', who: 'kiosk-01' | 'kiosk-02' = 'kiosk-01') => fx.post('/v1/kiosk/check', who, { cardId, kind });
  const authorize = (cardId: string, kind: 'sign' | 'auth', requestId: string, challenge = '0123456789ABCDEF', who: 'kiosk-01' | 'kiosk-02' = 'kiosk-01', seq = 1) =>
    fx.post('/v1/kiosk/authorize', who, { cardId, kind, challenge, requestId, receipt: receiptHex(cardId, kind, challenge, { challengeSeq: seq }) });
  const confirm = (bookingId: string, requestId: string, who: 'kiosk-01' | 'kiosk-02' = 'kiosk-01') => fx.post('/v1/kiosk/confirm', who, { bookingId, requestId });
  const faceCheck = (cardId: string, passed: boolean) => fx.post('/v1/app/face-checks', 'app', { cardId, passed });
  const release = (bookingId: string, authorizationRequestId: string, who: 'kiosk-01' | 'kiosk-02' = 'kiosk-01') =>
    fx.post('/v1/kiosk/release', who, { bookingId, authorizationRequestId, requestId: `rl-${authorizationRequestId}`, reason: 'not-sent' });
  const checkWith = (cardId: string, kind: 'sign' | 'auth', receipt: string, who: 'kiosk-01' | 'kiosk-02' = 'kiosk-01') => fx.post('/v1/kiosk/check', who, { cardId, kind, receipt });

  it('an authorization given back by its kiosk makes the booking usable at once; the history keeps it', async () => {
    const b = await book('0A1B2C', 'sign');
    expect((await authorize('0A1B2C', 'sign', 'req-00000001')).status).toBe(200);
    expect((await release(b.body.bookingId as string, 'req-00000001', 'kiosk-02')).body).toMatchObject({ released: false, state: 'authorized' });
    expect((await release(b.body.bookingId as string, 'req-00000001')).body).toMatchObject({ released: true, state: 'booked' });
    expect((await release(b.body.bookingId as string, 'req-00000001')).body).toMatchObject({ released: false, state: 'booked' });
    expect((await check('0A1B2C', 'sign')).body).toMatchObject({ status: 'usable' });
    // Authorized again (a later challenge), confirmed: used once, with both authorizations in the history.
    expect((await authorize('0A1B2C', 'sign', 'req-00000002', 'FEDCBA9876543210', 'kiosk-01', 2)).status).toBe(200);
    expect((await confirm(b.body.bookingId as string, 'req-00000003')).status).toBe(200);
    expect((await release(b.body.bookingId as string, 'req-00000002')).body).toMatchObject({ error: 'refused', reason: 'used' });
    const view = await fx.get(`/v1/admin/bookings?cardId=0A1B2C`, 'admin');
    const history = (view.body.bookings as { history: { state: string; requestId?: string; note?: string }[] }[])[0]?.history ?? [];
    expect(history.map((h) => [h.state, h.requestId ?? null])).toEqual([
      ['booked', null],
      ['authorized', 'req-00000001'],
      ['booked', null],
      ['authorized', 'req-00000002'],
      ['used', 'req-00000003'],
    ]);
    expect(history[2]?.note).toContain('released by kiosk-01');
  });

  it('the card’s receipt at check settles an interrupted try: unused → usable; used → used, and the screen can say so', async () => {
    const b = await book('0A1B2C', 'sign');
    expect((await authorize('0A1B2C', 'sign', 'req-00000001', '0123456789ABCDEF', 'kiosk-01', 5)).status).toBe(200);
    // Without the card: the booking is held.
    expect((await check('0A1B2C', 'sign', 'kiosk-02')).body).toMatchObject({ status: 'used' });
    // The card, at another kiosk: a later challenge, no reset since → the authorization is given back.
    expect((await checkWith('0A1B2C', 'sign', receiptHex('0A1B2C', 'sign', 'AAAAAAAAAAAAAAAA', { challengeSeq: 6 }), 'kiosk-02')).body).toMatchObject({ status: 'usable', resetOnCard: false });
    // Authorized again at kiosk-02; this time the card took it, and the kiosk never heard back.
    expect((await authorize('0A1B2C', 'sign', 'req-00000002', 'AAAAAAAAAAAAAAAA', 'kiosk-02', 6)).status).toBe(200);
    const after = receiptHex('0A1B2C', 'sign', 'BBBBBBBBBBBBBBBB', { resetCount: 1, lastChallenge: 'AAAAAAAAAAAAAAAA', challengeSeq: 7 });
    expect((await checkWith('0A1B2C', 'sign', after)).body).toMatchObject({ status: 'used', reason: 'used', resetOnCard: true, bookingId: b.body.bookingId });
    // Spent exactly once: a second check with the same receipt changes nothing; kiosk-02's late confirm is told it is used.
    expect((await checkWith('0A1B2C', 'sign', after)).body).toMatchObject({ status: 'used', resetOnCard: true });
    expect((await confirm(b.body.bookingId as string, 'req-00000009', 'kiosk-02')).body).toMatchObject({ reason: 'used' });
  });

  it('a receipt that is not this card’s, not for this password, or not for this challenge is refused (409)', async () => {
    await book('0A1B2C', 'sign');
    const other = { cardId: '0A1B2C', kind: 'sign', challenge: '0123456789ABCDEF', requestId: 'req-00000001' };
    for (const receipt of [
      receiptHex('0D0D0D', 'sign', '0123456789ABCDEF'),
      receiptHex('0A1B2C', 'auth', '0123456789ABCDEF'),
      receiptHex('0A1B2C', 'sign', 'FFFFFFFFFFFFFFFF'),
      receiptHex('0A1B2C', 'sign', '0123456789ABCDEF', { masterKey: Buffer.alloc(32, 9) }),
    ]) {
      expect((await fx.post('/v1/kiosk/authorize', 'kiosk-01', { ...other, receipt })).body).toMatchObject({ error: 'refused', reason: 'receipt-invalid' });
    }
    expect((await checkWith('0A1B2C', 'sign', receiptHex('0D0D0D', 'sign', null))).body).toMatchObject({ reason: 'receipt-invalid' });
    expect((await fx.post('/v1/kiosk/authorize', 'kiosk-01', other)).status).toBe(400);
    expect((await check('0A1B2C', 'sign')).body).toMatchObject({ status: 'usable' });
  });


  it.each([
    ['23:59:59 after completion', 24 * HOUR - SEC, 'usable'],
    ['24:00:00 after completion', 24 * HOUR, 'expired'],
    ['25 h after completion', 25 * HOUR, 'expired'],
  ])('a booking %s is %s at the kiosk', async (_what, after, status) => {
    const b = await book('0A1B2C', 'sign');
    expect(b.status).toBe(201);
    expect(b.body.expiresAt - b.body.completedAt).toBe(24 * HOUR);
    fx.now = T0 + after;
    expect((await check('0a1b2c', 'sign')).body).toMatchObject({ status, reason: status, cardId: '0A1B2C', kind: 'sign' });
  });

  it('expires through the trainer’s clock offset too, and the offset survives a restart', async () => {
    await book('0A1B2C', 'auth');
    expect((await fx.put('/v1/admin/clock', 'admin', { offsetMs: 24 * HOUR - SEC })).body).toEqual({ now: T0 + 24 * HOUR - SEC, offsetMs: 24 * HOUR - SEC });
    expect((await check('0A1B2C', 'auth')).body.status).toBe('usable');
    await fx.put('/v1/admin/clock', 'admin', { offsetMs: 24 * HOUR });
    const c = await check('0A1B2C', 'auth');
    expect(c.body).toMatchObject({ status: 'expired', centerNow: T0 + 24 * HOUR });
    const dir = fx.dir;
    await fx.close();
    fx = await makeCenter({ dir });
    expect((await fx.get('/v1/admin/clock', 'admin')).body.offsetMs).toBe(24 * HOUR);
  });

  it('a new booking for the same card and kind replaces the old one; the trainer sees the history', async () => {
    const first = await book('0A1B2C', 'sign');
    fx.now += HOUR;
    const second = await book('0A1B2C', 'sign');
    expect(second.body.replaced).toBe(first.body.bookingId);
    const other = await book('0A1B2C', 'auth');
    expect(other.body.replaced).toBeNull();
    expect((await check('0A1B2C', 'sign')).body.bookingId).toBe(second.body.bookingId);
    const list = (await fx.get('/v1/admin/bookings?cardId=0a1b2c', 'admin')).body.bookings;
    const old = list.find((b: { bookingId: string }) => b.bookingId === first.body.bookingId);
    expect(old.state).toBe('replaced');
    expect(old.history.map((h: { state: string; at: number }) => [h.state, h.at])).toEqual([
      ['booked', T0],
      ['replaced', T0 + HOUR],
    ]);
    expect(list.map((b: { state: string }) => b.state)).toEqual(['booked', 'booked', 'replaced']);
    // The replaced booking can no longer be authorized: authorize takes the current one.
    const a = await authorize('0A1B2C', 'sign', 'req-replace-1');
    expect(a.body.bookingId).toBe(second.body.bookingId);
  });

  it('a booking already authorized is not replaced: its kiosk can still confirm it', async () => {
    const first = await book('0A1B2C', 'sign');
    expect((await authorize('0A1B2C', 'sign', 'req-00000001')).status).toBe(200);
    const second = await book('0A1B2C', 'sign');
    expect(second.body.replaced).toBeNull();
    expect((await confirm(first.body.bookingId, 'conf-00000001')).status).toBe(200);
    expect((await check('0A1B2C', 'sign')).body).toMatchObject({ status: 'usable', bookingId: second.body.bookingId });
  });

  it('a booking that ran out before being replaced is history as expired, at its expiry', async () => {
    const first = await book('0A1B2C', 'sign');
    fx.now = T0 + 30 * HOUR;
    expect((await book('0A1B2C', 'sign')).body.replaced).toBeNull();
    const list = (await fx.get('/v1/admin/bookings', 'admin')).body.bookings;
    const old = list.find((b: { bookingId: string }) => b.bookingId === first.body.bookingId);
    expect(old.history.at(-1)).toMatchObject({ state: 'expired', at: T0 + 24 * HOUR });
  });

  it('5 failed face checks in a row lock the app side for the card until a trainer clears it', async () => {
    for (let i = 1; i <= 4; i++) expect((await faceCheck('0A1B2C', false)).body).toMatchObject({ consecutiveFailures: i, locked: false, failuresBeforeLock: 5 - i });
    // A pass breaks the run.
    expect((await faceCheck('0A1B2C', true)).body).toMatchObject({ consecutiveFailures: 0, locked: false });
    for (let i = 1; i <= 4; i++) await faceCheck('0A1B2C', false);
    expect((await faceCheck('0A1B2C', false)).body).toMatchObject({ consecutiveFailures: 5, locked: true, lockedAt: T0, failuresBeforeLock: 0 });
    // Other cards are not affected.
    expect((await book('FFEE01', 'sign')).status).toBe(201);
    for (const r of [await book('0A1B2C', 'sign'), await book('0A1B2C', 'auth'), await faceCheck('0A1B2C', true)]) {
      expect(r.status).toBe(409);
      expect(r.body).toMatchObject({ error: 'refused', reason: 'app-locked' });
    }
    expect((await fx.get('/v1/app/cards/0A1B2C', 'app')).body.lock).toMatchObject({ locked: true });
    expect((await check('0A1B2C', 'auth')).body).toMatchObject({ status: 'locked', reason: 'app-locked' });
    expect((await fx.post('/v1/admin/cards/0A1B2C/clear-lock', 'admin', undefined)).body).toMatchObject({ locked: false, consecutiveFailures: 0 });
    expect((await book('0A1B2C', 'sign')).status).toBe(201);
    expect((await check('0A1B2C', 'sign')).body.status).toBe('usable');
  });

  it('a lock that happens after a booking also stops the kiosk from using it', async () => {
    await book('0A1B2C', 'auth');
    for (let i = 0; i < 5; i++) await faceCheck('0A1B2C', false);
    expect((await authorize('0A1B2C', 'auth', 'req-00000001')).body).toMatchObject({ error: 'refused', reason: 'app-locked' });
  });

  it('refuses bookings, face checks, checks and authorizations in maintenance, but never a confirm', async () => {
    await book('0A1B2C', 'sign');
    const auth = await authorize('0A1B2C', 'sign', 'req-00000001');
    await book('0A1B2C', 'auth');
    const windows = [{ from: T0 + HOUR, until: T0 + 2 * HOUR, note: 'monthly' }];
    expect((await fx.put('/v1/admin/maintenance', 'admin', { windows })).body).toEqual({ windows });
    fx.now = T0 + HOUR;
    expect((await fx.get('/v1/app/cards/0A1B2C', 'app')).body.maintenance).toEqual(windows[0]);
    for (const r of [await book('0A1B2C', 'auth'), await faceCheck('0A1B2C', true), await check('0A1B2C', 'auth'), await authorize('0A1B2C', 'auth', 'req-00000002')]) {
      expect(r.status).toBe(409);
      expect(r.body).toMatchObject({ error: 'refused', reason: 'maintenance', until: T0 + 2 * HOUR });
    }
    expect((await confirm(auth.body.bookingId, 'conf-00000001')).body).toMatchObject({ state: 'used', replayed: false });
    fx.now = T0 + 2 * HOUR;
    expect((await book('0A1B2C', 'auth')).status).toBe(201);
    expect((await fx.put('/v1/admin/maintenance', 'admin', { windows: [{ from: 5, until: 5 }] })).status).toBe(400);
  });

  it('needs a complete identity check, and a passed face check for the signature password', async () => {
    expect((await book('0A1B2C', 'sign', { ...IDENTITY_SIGN, faceCheck: 'not-required' })).body.reason).toBe('face-check-required');
    expect((await book('0A1B2C', 'sign', { ...IDENTITY_SIGN, faceCheck: 'failed' })).body.reason).toBe('face-check-required');
    expect((await book('0A1B2C', 'auth', { ...IDENTITY_AUTH, cardFront: false })).body.reason).toBe('identity-check-failed');
    expect((await book('0A1B2C', 'auth', { ...IDENTITY_AUTH, otherPassword: false })).body.reason).toBe('identity-check-failed');
    expect((await book('0A1B2C', 'auth', { ...IDENTITY_AUTH, faceCheck: 'failed' })).body.reason).toBe('identity-check-failed');
    expect((await check('0A1B2C', 'sign')).body.reason).toBe('no-booking');
  });

  it('tells the kiosk when the booking is for the other password', async () => {
    await book('0A1B2C', 'auth');
    expect((await check('0A1B2C', 'sign')).body).toMatchObject({ status: 'none', reason: 'kind-mismatch' });
    expect((await authorize('0A1B2C', 'sign', 'req-00000001')).body.reason).toBe('kind-mismatch');
    expect((await check('0A1B2C', 'auth')).body.status).toBe('usable');
  });

  it('authorizes once with the card’s MAC; the same request again gets the same answer', async () => {
    const b = await book('0A1B2C', 'sign');
    const a = await authorize('0A1B2C', 'sign', 'req-00000001', 'a0a1a2a3a4a5a6a7');
    expect(a.status).toBe(200);
    const expected = resetMac(diversifyResetKey(DEV_MASTER_KEY, '0A1B2C'), 'sign', Buffer.from('A0A1A2A3A4A5A6A7', 'hex'));
    expect(a.body).toEqual({ bookingId: b.body.bookingId, mac: expected.toString('hex').toUpperCase(), authorizedAt: T0, replayed: false });
    expect((await authorize('0A1B2C', 'sign', 'req-00000001', 'A0A1A2A3A4A5A6A7')).body).toEqual({ ...a.body, replayed: true });
    expect((await authorize('0A1B2C', 'sign', 'req-00000002', 'A0A1A2A3A4A5A6A7')).body.reason).toBe('used');
    expect((await authorize('0A1B2C', 'sign', 'req-00000001', 'FFFFFFFFFFFFFFFF')).body.reason).toBe('request-id-reused');
    expect((await authorize('0A1B2C', 'sign', 'req-00000001', 'A0A1A2A3A4A5A6A7', 'kiosk-02')).body.reason).toBe('used');
    expect((await check('0A1B2C', 'sign')).body).toMatchObject({ status: 'used', reason: 'used' });
  });

  it('an authorized booking never authorizes again, even after the center restarts', async () => {
    await book('0A1B2C', 'sign');
    expect((await authorize('0A1B2C', 'sign', 'req-00000001')).status).toBe(200);
    const dir = fx.dir;
    await fx.close();
    fx = await makeCenter({ dir });
    expect((await authorize('0A1B2C', 'sign', 'req-00000003')).body.reason).toBe('used');
  });

  it('confirms exactly once, only from the authorizing kiosk, idempotently per request id', async () => {
    const b = await book('0A1B2C', 'sign');
    expect((await confirm(b.body.bookingId, 'conf-00000001')).body).toMatchObject({ reason: 'not-authorized' });
    await authorize('0A1B2C', 'sign', 'req-00000001');
    expect((await confirm(b.body.bookingId, 'conf-00000001', 'kiosk-02')).body).toMatchObject({ error: 'refused', reason: 'not-authorized' });
    fx.now += 1000;
    const c = await confirm(b.body.bookingId, 'conf-00000001');
    expect(c.body).toEqual({ bookingId: b.body.bookingId, state: 'used', usedAt: T0 + 1000, replayed: false });
    fx.now += 1000;
    expect((await confirm(b.body.bookingId, 'conf-00000001')).body).toEqual({ ...c.body, replayed: true });
    expect((await confirm(b.body.bookingId, 'conf-00000002')).body).toMatchObject({ error: 'refused', reason: 'used' });
    const unknown = await confirm('bk_' + 'f'.repeat(32), 'conf-00000003');
    expect([unknown.status, unknown.body.error, unknown.body.reason]).toEqual([404, 'not-found', 'no-booking']);
    const list = (await fx.get('/v1/admin/bookings', 'admin')).body.bookings;
    expect(list[0].history.map((h: { state: string; kioskId?: string }) => [h.state, h.kioskId])).toEqual([
      ['booked', undefined],
      ['authorized', 'kiosk-01'],
      ['used', 'kiosk-01'],
    ]);
  });

  it('a confirm is accepted after the 24 h are over (the reset already happened)', async () => {
    const b = await book('0A1B2C', 'auth');
    await authorize('0A1B2C', 'auth', 'req-00000001');
    fx.now = T0 + 48 * HOUR;
    expect((await confirm(b.body.bookingId, 'conf-00000001')).status).toBe(200);
  });

  it('trainers create back-dated bookings and expire booked ones', async () => {
    const created = await fx.post('/v1/admin/bookings', 'admin', { cardId: 'abcdef', kind: 'auth', completedAt: T0 - 24 * HOUR + SEC });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ cardId: 'ABCDEF', state: 'booked', via: 'admin', expiresAt: T0 + SEC });
    expect((await check('ABCDEF', 'auth')).body.status).toBe('usable');
    const expired = await fx.post(`/v1/admin/bookings/${created.body.bookingId}/expire`, 'admin', undefined);
    expect(expired.body).toMatchObject({ state: 'expired' });
    expect(expired.body.history.at(-1)).toMatchObject({ state: 'expired', at: T0, note: 'expired by a trainer' });
    expect((await check('ABCDEF', 'auth')).body.status).toBe('expired');
    // Used bookings stay used.
    await fx.post('/v1/admin/bookings', 'admin', { cardId: 'ABCDEF', kind: 'sign' });
    const a = await authorize('ABCDEF', 'sign', 'req-00000001');
    const r = await fx.post(`/v1/admin/bookings/${a.body.bookingId}/expire`, 'admin', undefined);
    expect([r.status, r.body.reason]).toEqual([409, 'not-expirable']);
    expect((await fx.post(`/v1/admin/bookings/bk_${'1'.repeat(32)}/expire`, 'admin', undefined)).status).toBe(404);
  });
});
