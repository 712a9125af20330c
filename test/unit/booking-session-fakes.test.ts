/**
 * The booking runner (electron/booking/session.ts) against scripted fakes of both ports: the order
 * of the port calls, the deadlines, errors turned into refusals, BUSY and a cancel that drops a
 * late answer, and that the password reaches the card and nothing else. The same session against a
 * real center is booking-session.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { CenterClientError } from '../../electron/center/client';
import type { AppCardStatus, BookingReceipt, BookingRequest, LockView } from '../../electron/center/schemas';
import type { BookingState } from '../../electron/booking/flow';
import type { BookingCard, BookingCenter, CardFront, CardFrontResult } from '../../electron/booking/ports';
import { BookingFlowError, BookingSession, centerFailure } from '../../electron/booking/session';
import type { ResetKind, VerifyOutcome } from '../../electron/domain/passwords';

const FRONT: CardFront = { birthDate: '1990-01-02', cardExpiry: '2030-01-02', securityCode: '4321' };
const CARD = '0A1B2C3D';
const never = <T,>() => new Promise<T>(() => undefined);

const lock = (over: Partial<LockView> = {}): LockView => ({ cardId: CARD, locked: false, consecutiveFailures: 0, failuresBeforeLock: 5, lockedAt: null, ...over });

/** Both ports in one: every call is logged; each answer can be replaced per test. */
class Fakes implements BookingCard, BookingCenter {
  readonly calls: string[] = [];
  readonly passwords: string[] = [];
  identifyAnswer: () => Promise<{ cardId: string; simulator: boolean; hasSignCertificate: boolean }> = async () => ({ cardId: CARD, simulator: true, hasSignCertificate: true });
  statusAnswer: () => Promise<AppCardStatus> = async () => ({ cardId: CARD, lock: lock(), maintenance: null, centerNow: 0 });
  verifyAnswer: () => Promise<VerifyOutcome> = async () => ({ result: 'verified' });
  bookAnswer: (req: BookingRequest) => Promise<BookingReceipt> = async (req) => ({
    bookingId: 'b-1',
    cardId: req.cardId,
    kind: req.kind,
    completedAt: 1,
    expiresAt: 2,
    replaced: null,
  });

  identify() {
    this.calls.push('identify');
    return this.identifyAnswer();
  }
  async checkCardFront(): Promise<CardFrontResult> {
    this.calls.push('card-front');
    return { result: 'match' };
  }
  async triesLeft(kind: ResetKind) {
    this.calls.push(`tries-${kind}`);
    return kind === 'auth' ? 3 : 5;
  }
  verifyPassword(kind: ResetKind, value: string) {
    this.calls.push(`verify-${kind}`);
    this.passwords.push(value);
    return this.verifyAnswer();
  }
  cardStatus() {
    this.calls.push('center-status');
    return this.statusAnswer();
  }
  async faceCheck(_cardId: string, passed: boolean): Promise<LockView> {
    this.calls.push(`face-${passed ? 'pass' : 'fail'}`);
    return lock({ consecutiveFailures: passed ? 0 : 1, failuresBeforeLock: passed ? 5 : 4 });
  }
  book(req: BookingRequest) {
    this.calls.push(`book-${req.kind}`);
    return this.bookAnswer(req);
  }
}

function sessionOn(f: Fakes, opts = {}) {
  const session = new BookingSession(f, f, opts);
  const states: BookingState[] = [];
  session.onChange((s) => states.push(s));
  return { session, states };
}

describe('booking session against fakes', () => {
  it('calls the ports in the safe order: identify, the center, then the card front and tries left; then verify, lock counts, face check, book', async () => {
    const f = new Fakes();
    const { session, states } = sessionOn(f);
    session.consent(true);
    session.chooseKind('sign');
    expect(await session.submitCardFront(FRONT)).toMatchObject({ step: 'other-password', asks: 'auth', triesLeft: 3 });
    expect(f.calls).toEqual(['identify', 'center-status', 'card-front', 'tries-auth']);
    expect(await session.submitOtherPassword('1234')).toMatchObject({ step: 'face-check' });
    expect(await session.submitFaceCheck(false)).toMatchObject({ step: 'face-check', lastFailed: true, failuresBeforeLock: 4 });
    expect(await session.submitFaceCheck(true)).toMatchObject({ step: 'booked', bookingId: 'b-1' });
    expect(f.calls.slice(4)).toEqual(['verify-auth', 'center-status', 'face-fail', 'face-pass', 'book-sign']);
    // Listeners hear the settled states only, never a working one.
    expect(states.map((s) => s.step)).toEqual(['choose-kind', 'card-front', 'other-password', 'face-check', 'face-check', 'booked']);
  });

  it('the password reaches the card (normalized) and no state, listener or error', async () => {
    const f = new Fakes();
    f.verifyAnswer = async () => ({ result: 'wrong', triesLeft: 4 });
    const { session, states } = sessionOn(f);
    session.consent(true);
    session.chooseKind('auth');
    await session.submitCardFront(FRONT);
    expect(await session.submitOtherPassword('secret9')).toMatchObject({ step: 'other-password', triesLeft: 4, problem: { wrong: true } });
    expect(f.passwords).toEqual(['SECRET9']);
    const err = await session.submitFaceCheck(true).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BookingFlowError);
    expect(JSON.stringify([states, session.state, String(err)])).not.toMatch(/secret9/i);
  });

  it('a card that does not answer in time ends in card-unavailable, naming the step', async () => {
    const f = new Fakes();
    f.identifyAnswer = never;
    const { session } = sessionOn(f, { cardDeadlineMs: 20 });
    session.consent(true);
    session.chooseKind('sign');
    const s = await session.submitCardFront(FRONT);
    expect(s).toMatchObject({ step: 'refused', reason: 'card-unavailable', kind: 'sign' });
    expect(s.step === 'refused' && s.detail).toMatch(/^DeadlineError: identify: no answer within 20 ms/);
  });

  it('a center that does not answer in time ends in center-unavailable; no booking is claimed', async () => {
    const f = new Fakes();
    f.bookAnswer = never;
    const { session } = sessionOn(f, { centerDeadlineMs: 20 });
    session.consent(true);
    session.chooseKind('auth');
    await session.submitCardFront(FRONT);
    const s = await session.submitOtherPassword('ABC123');
    expect(s).toMatchObject({ step: 'refused', reason: 'center-unavailable', kind: 'auth' });
    expect(s.step === 'refused' && s.detail).toMatch(/^DeadlineError: booking/);
  });

  it('a port that throws at once is a refusal too, not an exception', async () => {
    const f = new Fakes();
    f.identifyAnswer = () => {
      throw new Error('reader gone');
    };
    const { session } = sessionOn(f);
    session.consent(true);
    session.chooseKind('sign');
    expect(await session.submitCardFront(FRONT)).toEqual({ step: 'refused', reason: 'card-unavailable', kind: 'sign', detail: 'Error: reader gone' });
  });

  it('the center’s refusals keep their reason; anything else is “unavailable”', () => {
    expect(centerFailure(new CenterClientError('REFUSED', 'no', { reason: 'maintenance', until: 5 }))).toEqual({ refused: true, reason: 'maintenance', until: 5 });
    expect(centerFailure(new CenterClientError('REFUSED', 'no', { reason: 'app-locked' }))).toEqual({ refused: true, reason: 'app-locked' });
    expect(centerFailure(new CenterClientError('TIMEOUT', 'slow'))).toEqual({ refused: false, detail: 'CenterClientError: slow' });
    expect(centerFailure('odd')).toEqual({ refused: false, detail: 'odd' });
  });

  it('an intent while a step runs is BUSY; a cancel drops the late answer and no further port is called', async () => {
    const f = new Fakes();
    let answer: (v: AppCardStatus) => void = () => undefined;
    f.statusAnswer = () => new Promise((r) => (answer = r));
    const { session, states } = sessionOn(f);
    session.consent(true);
    session.chooseKind('sign');
    const pending = session.submitCardFront(FRONT);
    await Promise.resolve();
    await new Promise((r) => setTimeout(r, 0));
    expect(f.calls).toEqual(['identify', 'center-status']);
    expect(session.state.step).toBe('working');
    await expect(session.submitCardFront(FRONT)).rejects.toMatchObject({ code: 'BUSY' });
    expect(() => session.chooseKind('auth')).toThrow(expect.objectContaining({ code: 'BUSY' }) as Error);
    expect(session.cancel()).toEqual({ step: 'cancelled' });
    answer({ cardId: CARD, lock: lock(), maintenance: null, centerNow: 0 });
    expect(await pending).toEqual({ step: 'cancelled' });
    expect(f.calls).toEqual(['identify', 'center-status']);
    expect(states.map((s) => s.step)).toEqual(['choose-kind', 'card-front', 'cancelled']);
  });
});
