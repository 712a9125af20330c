/**
 * The booking flow's transitions as data (electron/booking/flow.ts): for a state and an event, the
 * next state and the effects, or null where the event does not apply. No card, no center, no
 * timing: the runner (booking-session.test.ts) and the card (booking-card.test.ts) are tested
 * apart. Also the one mapping to the app page (pageOf) and that no password reaches a state.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { AppStateSchema, type AppCard } from '../../electron/contract/app';
import { check } from '../../electron/contract/schema';
import {
  appStateOf,
  INITIAL_STATE,
  isFinal,
  pageOf,
  step,
  type BookingEffect,
  type BookingEvent,
  type BookingIntent,
  type BookingState,
  type Task,
  type WorkingFrom,
} from '../../electron/booking/flow';
import type { CardFront } from '../../electron/booking/ports';
import type { AppCardStatus, BookingReceipt, LockView } from '../../electron/center/schemas';
import { Secret } from '../../electron/kiosk/secret';

const OP = 7;
const ctx = { op: OP };
const FRONT: CardFront = { birthDate: '1990-01-02', cardExpiry: '2030-01-02', securityCode: '4321' };
const CARD = '0A1B2C3D';

const intent = (i: BookingIntent): BookingEvent => ({ type: 'intent', intent: i });
const working = (from: WorkingFrom, task: Task, op = 1): BookingState => ({ step: 'working', op, from, task });
const ok = <T,>(value: T) => ({ ok: true as const, value });
const cardDown = { ok: false as const, failure: { detail: 'Error: card removed' } };
const centerDown = { ok: false as const, failure: { refused: false as const, detail: 'CenterError: down' } };

const cardFront = { step: 'card-front', kind: 'sign' } as const;
const cardFrontAuth = { step: 'card-front', kind: 'auth' } as const;
const askAuth = { step: 'other-password', kind: 'sign', cardId: CARD, asks: 'auth', triesLeft: 3 } as const;
const askSign = { step: 'other-password', kind: 'auth', cardId: CARD, asks: 'sign', triesLeft: 5 } as const;
const face = { step: 'face-check', kind: 'sign', cardId: CARD, consecutiveFailures: 0, failuresBeforeLock: 5, lastFailed: false } as const;

const lock = (over: Partial<LockView> = {}): LockView => ({ cardId: CARD, locked: false, consecutiveFailures: 0, failuresBeforeLock: 5, lockedAt: null, ...over });
const status = (over: Partial<AppCardStatus> = {}): AppCardStatus => ({ cardId: CARD, maintenance: null, lock: lock(), centerNow: 0, ...over });
const receipt: BookingReceipt = { cardId: CARD, kind: 'sign', bookingId: 'b-1', completedAt: 1000, expiresAt: 1000 + 86_400_000, replaced: null };
const bookSign: BookingEffect = { type: 'book', op: OP, request: { cardId: CARD, kind: 'sign', identity: { cardFront: true, otherPassword: true, faceCheck: 'passed' } } };
const bookAuth: BookingEffect = { type: 'book', op: OP, request: { cardId: CARD, kind: 'auth', identity: { cardFront: true, otherPassword: true, faceCheck: 'not-required' } } };

type Row = readonly [name: string, state: BookingState, event: BookingEvent, next: BookingState | null, effects?: readonly BookingEffect[]];

const rows: readonly Row[] = [
  // Consent and the kind: no effects.
  ['consent: agree', INITIAL_STATE, intent({ type: 'consent', agree: true }), { step: 'choose-kind' }],
  ['consent: decline ends the session', INITIAL_STATE, intent({ type: 'consent', agree: false }), { step: 'cancelled' }],
  ['choose-kind', { step: 'choose-kind' }, intent({ type: 'choose-kind', kind: 'sign' }), cardFront],
  ['choose-kind before consent is out of step', INITIAL_STATE, intent({ type: 'choose-kind', kind: 'sign' }), null],
  ['consent twice is out of step', { step: 'choose-kind' }, intent({ type: 'consent', agree: true }), null],

  // Card front: checked before the card, then identify → center → card front → tries left.
  ['card front: a field that cannot be right stays, nothing sent', cardFront, intent({ type: 'submit-card-front', front: { ...FRONT, birthDate: '1990-02-30' } }), { ...cardFront, problem: { field: 'birth-date' } }, []],
  ['card front: security code', cardFront, intent({ type: 'submit-card-front', front: { ...FRONT, securityCode: '12' } }), { ...cardFront, problem: { field: 'security-code' } }, []],
  ['card front: well-formed → identify the card first', cardFront, intent({ type: 'submit-card-front', front: FRONT }), working(cardFront, { awaits: 'identify', front: FRONT }, OP), [{ type: 'identify-card', op: OP }]],
  ['identified → the center before any try on the card', working(cardFront, { awaits: 'identify', front: FRONT }), { type: 'card-identified', op: 1, answer: ok({ cardId: CARD, simulator: true, hasSignCertificate: true }) }, working(cardFront, { awaits: 'card-status', cardId: CARD, front: FRONT }, OP), [{ type: 'read-card-status', op: OP, cardId: CARD }]],
  ['identified: a real card', working(cardFront, { awaits: 'identify', front: FRONT }), { type: 'card-identified', op: 1, answer: ok({ cardId: CARD, simulator: false, hasSignCertificate: true }) }, { step: 'refused', reason: 'real-card', kind: 'sign' }, []],
  ['identified: no signature certificate, 署名用', working(cardFront, { awaits: 'identify', front: FRONT }), { type: 'card-identified', op: 1, answer: ok({ cardId: CARD, simulator: true, hasSignCertificate: false }) }, { step: 'refused', reason: 'no-sign-certificate', kind: 'sign' }],
  ['identified: no signature certificate, 利用者証明用', working(cardFrontAuth, { awaits: 'identify', front: FRONT }), { type: 'card-identified', op: 1, answer: ok({ cardId: CARD, simulator: true, hasSignCertificate: false }) }, { step: 'refused', reason: 'no-other-password', kind: 'auth' }],
  ['identify failed', working(cardFront, { awaits: 'identify', front: FRONT }), { type: 'card-identified', op: 1, answer: cardDown }, { step: 'refused', reason: 'card-unavailable', kind: 'sign', detail: 'Error: card removed' }],
  ['center: maintenance, with until', working(cardFront, { awaits: 'card-status', cardId: CARD, front: FRONT }), { type: 'card-status-read', op: 1, answer: ok(status({ maintenance: { from: 0, until: 5000 } })) }, { step: 'refused', reason: 'maintenance', kind: 'sign', until: 5000 }, []],
  ['center: app locked', working(cardFront, { awaits: 'card-status', cardId: CARD, front: FRONT }), { type: 'card-status-read', op: 1, answer: ok(status({ lock: lock({ locked: true }) })) }, { step: 'refused', reason: 'app-locked', kind: 'sign' }],
  ['center: down', working(cardFront, { awaits: 'card-status', cardId: CARD, front: FRONT }), { type: 'card-status-read', op: 1, answer: centerDown }, { step: 'refused', reason: 'center-unavailable', kind: 'sign', detail: 'CenterError: down' }],
  ['center: refused in maintenance', working(cardFront, { awaits: 'card-status', cardId: CARD, front: FRONT }), { type: 'card-status-read', op: 1, answer: { ok: false, failure: { refused: true, reason: 'maintenance', until: 9 } } }, { step: 'refused', reason: 'maintenance', kind: 'sign', until: 9 }],
  ['center: refused for another reason', working(cardFront, { awaits: 'card-status', cardId: CARD, front: FRONT }), { type: 'card-status-read', op: 1, answer: { ok: false, failure: { refused: true, reason: 'identity-check-failed' } } }, { step: 'refused', reason: 'center-refused', kind: 'sign', centerReason: 'identity-check-failed' }],
  ['center: fine → the card front on the card', working(cardFront, { awaits: 'card-status', cardId: CARD, front: FRONT }), { type: 'card-status-read', op: 1, answer: ok(status()) }, working(cardFront, { awaits: 'card-front-check', cardId: CARD }, OP), [{ type: 'check-card-front', op: OP, front: FRONT }]],
  ['card front: mismatch stays with the tries left', working(cardFront, { awaits: 'card-front-check', cardId: CARD }), { type: 'card-front-checked', op: 1, answer: ok({ result: 'mismatch', triesLeft: 9 }) }, { ...cardFront, problem: { mismatch: true, triesLeft: 9 } }],
  ['card front: blocked', working(cardFront, { awaits: 'card-front-check', cardId: CARD }), { type: 'card-front-checked', op: 1, answer: ok({ result: 'locked' }) }, { step: 'refused', reason: 'card-front-locked', kind: 'sign' }],
  ['card front: match → tries left of the other password', working(cardFront, { awaits: 'card-front-check', cardId: CARD }), { type: 'card-front-checked', op: 1, answer: ok({ result: 'match' }) }, working(cardFront, { awaits: 'tries-left', cardId: CARD, asks: 'auth' }, OP), [{ type: 'read-tries-left', op: OP, password: 'auth' }]],
  ['card front: the card failed', working(cardFront, { awaits: 'card-front-check', cardId: CARD }), { type: 'card-front-checked', op: 1, answer: cardDown }, { step: 'refused', reason: 'card-unavailable', kind: 'sign', detail: 'Error: card removed' }],
  ['tries left → ask for the other password', working(cardFront, { awaits: 'tries-left', cardId: CARD, asks: 'auth' }), { type: 'tries-left-read', op: 1, answer: ok(3) }, askAuth, []],
  ['tries left 0 → locked, before any VERIFY', working(cardFront, { awaits: 'tries-left', cardId: CARD, asks: 'auth' }), { type: 'tries-left-read', op: 1, answer: ok(0) }, { step: 'refused', reason: 'password-locked', kind: 'sign' }],

  // The other password.
  ['password: malformed stays, nothing sent', askAuth, intent({ type: 'submit-other-password', value: new Secret('12a4') }), { ...askAuth, problem: { format: 'digits-only-allowed' } }, []],
  ['password: too short', askAuth, intent({ type: 'submit-other-password', value: new Secret('123') }), { ...askAuth, problem: { format: 'too-short' } }],
  ['password: wrong answer', working(askAuth, { awaits: 'password-check', cardId: CARD, asks: 'auth' }), { type: 'password-checked', op: 1, answer: ok({ result: 'wrong', triesLeft: 2 }) }, { ...askAuth, triesLeft: 2, problem: { wrong: true } }],
  ['password: wrong, none left', working(askAuth, { awaits: 'password-check', cardId: CARD, asks: 'auth' }), { type: 'password-checked', op: 1, answer: ok({ result: 'wrong', triesLeft: 0 }) }, { step: 'refused', reason: 'password-locked', kind: 'sign' }],
  ['password: blocked', working(askAuth, { awaits: 'password-check', cardId: CARD, asks: 'auth' }), { type: 'password-checked', op: 1, answer: ok({ result: 'locked' }) }, { step: 'refused', reason: 'password-locked', kind: 'sign' }],
  ['password: the card failed', working(askAuth, { awaits: 'password-check', cardId: CARD, asks: 'auth' }), { type: 'password-checked', op: 1, answer: cardDown }, { step: 'refused', reason: 'card-unavailable', kind: 'sign', detail: 'Error: card removed' }],
  ['password verified, 署名用 → the face-check lock counts', working(askAuth, { awaits: 'password-check', cardId: CARD, asks: 'auth' }), { type: 'password-checked', op: 1, answer: ok({ result: 'verified' }) }, working(askAuth, { awaits: 'face-lock', cardId: CARD }, OP), [{ type: 'read-card-status', op: OP, cardId: CARD }]],
  ['password verified, 利用者証明用 → book, no face check', working(askSign, { awaits: 'password-check', cardId: CARD, asks: 'sign' }), { type: 'password-checked', op: 1, answer: ok({ result: 'verified' }) }, working(askSign, { awaits: 'booking', cardId: CARD }, OP), [bookAuth]],
  ['face lock counts → face check', working(askAuth, { awaits: 'face-lock', cardId: CARD }), { type: 'card-status-read', op: 1, answer: ok(status({ lock: lock({ consecutiveFailures: 2, failuresBeforeLock: 3 }) })) }, { ...face, consecutiveFailures: 2, failuresBeforeLock: 3 }],
  ['face lock counts: center down', working(askAuth, { awaits: 'face-lock', cardId: CARD }), { type: 'card-status-read', op: 1, answer: centerDown }, { step: 'refused', reason: 'center-unavailable', kind: 'sign', detail: 'CenterError: down' }],

  // Face check and booking.
  ['face check → the center', face, intent({ type: 'face-check', passed: false }), working(face, { awaits: 'face-check', cardId: CARD, passed: false }, OP), [{ type: 'face-check', op: OP, cardId: CARD, passed: false }]],
  ['face check failed: stays, with the counts', working(face, { awaits: 'face-check', cardId: CARD, passed: false }), { type: 'face-checked', op: 1, answer: ok(lock({ consecutiveFailures: 1, failuresBeforeLock: 4 })) }, { ...face, consecutiveFailures: 1, failuresBeforeLock: 4, lastFailed: true }],
  ['face check failed the fifth time: locked', working(face, { awaits: 'face-check', cardId: CARD, passed: false }), { type: 'face-checked', op: 1, answer: ok(lock({ locked: true, consecutiveFailures: 5, failuresBeforeLock: 0 })) }, { step: 'refused', reason: 'app-locked', kind: 'sign' }],
  ['face check passed → book', working(face, { awaits: 'face-check', cardId: CARD, passed: true }), { type: 'face-checked', op: 1, answer: ok(lock()) }, working(face, { awaits: 'booking', cardId: CARD }, OP), [bookSign]],
  ['booked', working(face, { awaits: 'booking', cardId: CARD }), { type: 'booked', op: 1, answer: ok(receipt) }, { step: 'booked', kind: 'sign', cardId: CARD, bookingId: 'b-1', completedAt: 1000, expiresAt: 1000 + 86_400_000, replaced: null }, []],
  ['booking: center down, no booking claimed', working(askSign, { awaits: 'booking', cardId: CARD }), { type: 'booked', op: 1, answer: centerDown }, { step: 'refused', reason: 'center-unavailable', kind: 'auth', detail: 'CenterError: down' }],

  // Out of step, stale answers, cancel.
  ['an intent while working is refused (the runner says BUSY)', working(cardFront, { awaits: 'identify', front: FRONT }), intent({ type: 'submit-card-front', front: FRONT }), null],
  ['an answer for another op is dropped', working(cardFront, { awaits: 'identify', front: FRONT }, 2), { type: 'card-identified', op: 1, answer: cardDown }, null],
  ['an answer of another kind is dropped', working(cardFront, { awaits: 'identify', front: FRONT }), { type: 'booked', op: 1, answer: ok(receipt) }, null],
  ['an answer after the session ended is dropped', { step: 'cancelled' }, { type: 'card-identified', op: 1, answer: cardDown }, null],
  ['cancel while working', working(cardFront, { awaits: 'identify', front: FRONT }), intent({ type: 'cancel' }), { step: 'cancelled' }, []],
  ['cancel at consent', INITIAL_STATE, intent({ type: 'cancel' }), { step: 'cancelled' }],
  ['cancel after the end is out of step', { step: 'cancelled' }, intent({ type: 'cancel' }), null],
  ['cancel after a refusal is out of step', { step: 'refused', reason: 'real-card' }, intent({ type: 'cancel' }), null],
  ['cancel after booking is out of step', { step: 'booked', kind: 'sign', cardId: CARD, bookingId: 'b', completedAt: 0, expiresAt: 1, replaced: null }, intent({ type: 'cancel' }), null],
];

describe('booking flow transitions (pure)', () => {
  for (const [name, state, event, next, effects] of rows) {
    it(name, () => {
      const r = step(state, event, ctx);
      if (next === null) {
        expect(r).toBeNull();
        return;
      }
      expect(r?.state).toEqual(next);
      if (effects !== undefined) expect(r?.effects).toEqual(effects);
    });
  }

  it('the well-formed password goes to the card in a Secret, normalized, and stays out of every state', () => {
    const r = step(askSign, intent({ type: 'submit-other-password', value: new Secret('abc123') }), ctx);
    expect(r?.state).toEqual(working(askSign, { awaits: 'password-check', cardId: CARD, asks: 'sign' }, OP));
    const effect = r?.effects[0];
    expect(effect).toMatchObject({ type: 'verify-password', op: OP, password: 'sign' });
    expect(effect?.type === 'verify-password' && effect.value.reveal()).toBe('ABC123');
    for (const printed of [JSON.stringify(r), inspect(r, { depth: 10 }), String(effect?.type === 'verify-password' && effect.value)]) {
      expect(printed).not.toMatch(/abc123/i);
    }
  });

  it('only booked, refused and cancelled are final', () => {
    const all: BookingState[] = [INITIAL_STATE, { step: 'choose-kind' }, cardFront, askAuth, face, working(face, { awaits: 'booking', cardId: CARD })];
    expect(all.map(isFinal)).toEqual([false, false, false, false, false, false]);
    expect([{ step: 'cancelled' } as const, { step: 'refused', reason: 'maintenance' } as const].map(isFinal)).toEqual([true, true]);
  });
});

describe('the app page of a flow state (pageOf)', () => {
  const card: AppCard = { name: 'adult', holderName: '見本 太郎', ...FRONT };

  it.each<[string, BookingState, object]>([
    ['consent', INITIAL_STATE, { step: 'consent' }],
    ['card front, no problem', cardFront, { step: 'card-front', kind: 'sign', problem: null }],
    ['card front, mismatch', { ...cardFront, problem: { mismatch: true, triesLeft: 9 } }, { step: 'card-front', problem: { mismatch: true, triesLeft: 9 } }],
    [
      'other password: which one, its rules and tries',
      { ...askAuth, triesLeft: 2, problem: { wrong: true } },
      { step: 'other-password', kind: 'sign', password: 'auth', inputMode: 'numeric', minLength: 4, maxLength: 4, triesLeft: 2, maxTries: 3, problem: 'wrong-password' },
    ],
    ['other password: the signature password', { ...askSign, problem: { format: 'too-short' } }, { password: 'sign', inputMode: 'alphanumeric', maxTries: 5, problem: 'too-short' }],
    ['working shows the step it was submitted from', working({ ...askAuth, problem: { wrong: true } }, { awaits: 'password-check', cardId: CARD, asks: 'auth' }), { step: 'other-password', problem: 'wrong-password' }],
    ['face check', { ...face, lastFailed: true }, { step: 'face-check', lastFailed: true, failuresBeforeLock: 5 }],
    ['refused: nulls for what does not apply, detail cut to 500', { step: 'refused', reason: 'card-unavailable', detail: 'x'.repeat(600) }, { reason: 'card-unavailable', kind: null, until: null, centerReason: null, detail: 'x'.repeat(500) }],
  ])('%s', (_name, state, expected) => {
    expect(pageOf(state)).toMatchObject(expected);
    const app = appStateOf(card, state);
    expect(check(AppStateSchema, app).ok).toBe(true);
    expect(app).toMatchObject({ ...expected, card });
  });

  it('a booked page does not carry the card id (the card is the one in hand)', () => {
    const page = pageOf({ step: 'booked', kind: 'auth', cardId: CARD, bookingId: 'b-1', completedAt: 1, expiresAt: 2, replaced: 'b-0' });
    expect(page).toEqual({ step: 'booked', kind: 'auth', bookingId: 'b-1', completedAt: 1, expiresAt: 2, replaced: 'b-0' });
  });
});
