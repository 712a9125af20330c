/**
 * The 「JPKI暗証番号リセット」 app's reservation as one state machine (docs/kiosk-flow.md §6):
 * consent → which password → card front → the *other* password on the card → face check (署名用
 * only) → booking at the center, with a `refused` end for every refusal.
 *
 * Pure, like the kiosk's flow (electron/kiosk/flow.ts): `step(state, event, context)` returns the
 * next state and the effects to run (card commands, center calls), or null when the event does not
 * apply here (an intent out of step, or an answer to an operation this session has left).
 * session.ts runs the effects against the ports and feeds their answers back as events tagged with
 * the operation number (`op`) that started them. While an effect runs the state is `working`, which
 * the page shows as the step the citizen submitted from.
 *
 * The order of the card-front step is a safety rule: the card is identified (a real card is
 * refused) and the center asked (app lock, maintenance) before anything that can cost a try on the
 * card is sent. A password value is held only as a `Secret`, in the one intent and the one effect
 * that carry it: never in a state, and never on the page (`pageOf`).
 */
import type { AppCard, AppState, BookingRefusal } from '../contract/app';
import type { AppCardStatus, BookingReceipt, BookingRequest, LockView, Reason } from '../center/schemas';
import { normalizeSignPassword, otherPassword, PASSWORD_RULES, passwordFormatProblem, type PasswordFormatProblem, type ResetKind, type VerifyOutcome } from '../domain/passwords';
import { Secret } from '../kiosk/secret';
import { cardFrontProblem, type CardFrontProblem } from './card-front';
import type { CardFront, CardFrontResult, CardIdentityFacts } from './ports';

/**
 * Why the app refused to book: the contract's list (BookingRefusalSchema), the one list. Among
 * them: `real-card` (not a simulator card: the simulator never changes a real card),
 * `no-sign-certificate` (署名用 asked for a card without one, under 15), `no-other-password`
 * (利用者証明用 asked, but there is no signature password to prove who is booking),
 * `password-locked` (the other password is locked: only the municipal counter can help) and
 * `center-refused` (for a reason the app did not expect, see `centerReason`).
 */
export type { BookingRefusal };

// ---------------------------------------------------------------------------------------------
// State

/** The steps the citizen acts on (and the ends). */
export type SettledState =
  | { readonly step: 'consent' }
  | { readonly step: 'choose-kind' }
  | {
      readonly step: 'card-front';
      readonly kind: ResetKind;
      /** Why the last entry was not accepted, if it was not. */
      readonly problem?: { readonly field: CardFrontProblem } | { readonly mismatch: true; readonly triesLeft: number };
    }
  | {
      readonly step: 'other-password';
      readonly kind: ResetKind;
      readonly cardId: string;
      /** The password being asked for (shown every time: the app must say which PIN it wants). */
      readonly asks: ResetKind;
      readonly triesLeft: number;
      readonly problem?: { readonly wrong: true } | { readonly format: PasswordFormatProblem };
    }
  | {
      readonly step: 'face-check';
      readonly kind: ResetKind;
      readonly cardId: string;
      readonly consecutiveFailures: number;
      readonly failuresBeforeLock: number;
      readonly lastFailed: boolean;
    }
  | {
      readonly step: 'booked';
      readonly kind: ResetKind;
      readonly cardId: string;
      readonly bookingId: string;
      readonly completedAt: number;
      readonly expiresAt: number;
      readonly replaced: string | null;
    }
  | {
      readonly step: 'refused';
      readonly reason: BookingRefusal;
      readonly kind?: ResetKind;
      readonly until?: number;
      readonly centerReason?: Reason;
      /** For trainers: what failed (card and center errors name the step, never a value). */
      readonly detail?: string;
    }
  | { readonly step: 'cancelled' };

/** The steps an intent can start work from; the page keeps showing it while the work runs. */
export type WorkingFrom = Extract<SettledState, { step: 'card-front' | 'other-password' | 'face-check' }>;

/** What a working session waits for, with what the next step needs. */
export type Task =
  | { readonly awaits: 'identify'; readonly front: CardFront }
  | { readonly awaits: 'card-status'; readonly cardId: string; readonly front: CardFront }
  | { readonly awaits: 'card-front-check'; readonly cardId: string }
  | { readonly awaits: 'tries-left'; readonly cardId: string; readonly asks: ResetKind }
  | { readonly awaits: 'password-check'; readonly cardId: string; readonly asks: ResetKind }
  /** The face-check lock counts, read once the other password is verified (署名用). */
  | { readonly awaits: 'face-lock'; readonly cardId: string }
  | { readonly awaits: 'face-check'; readonly cardId: string; readonly passed: boolean }
  | { readonly awaits: 'booking'; readonly cardId: string };

export type BookingState =
  | SettledState
  | { readonly step: 'working'; readonly op: number; readonly from: WorkingFrom; readonly task: Task };

export type BookingStep = BookingState['step'];

export const INITIAL_STATE: BookingState = { step: 'consent' };

export function isFinal(s: BookingState): boolean {
  return s.step === 'booked' || s.step === 'refused' || s.step === 'cancelled';
}

// ---------------------------------------------------------------------------------------------
// Events and effects

/** What the citizen does. The password travels as a Secret from the session on. */
export type BookingIntent =
  | { readonly type: 'consent'; readonly agree: boolean }
  | { readonly type: 'choose-kind'; readonly kind: ResetKind }
  | { readonly type: 'submit-card-front'; readonly front: CardFront }
  | { readonly type: 'submit-other-password'; readonly value: Secret }
  | { readonly type: 'face-check'; readonly passed: boolean }
  | { readonly type: 'cancel' };

/** An answer from a port: its value, or why there is none. */
export type Answer<T, F> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly failure: F };

/** The card did not answer (removed, reader gone, a deadline passed): `detail` names the error. */
export interface BookingCardFailure {
  readonly detail: string;
}

export type CenterFailure =
  /** The center answered with a refusal (CenterError REFUSED). */
  | { readonly refused: true; readonly reason?: Reason; readonly until?: number }
  /** No usable answer (unreachable, timeout, deadline, a malformed answer). */
  | { readonly refused: false; readonly detail: string };

export type BookingEvent =
  | { readonly type: 'intent'; readonly intent: BookingIntent }
  | { readonly type: 'card-identified'; readonly op: number; readonly answer: Answer<CardIdentityFacts, BookingCardFailure> }
  | { readonly type: 'card-status-read'; readonly op: number; readonly answer: Answer<AppCardStatus, CenterFailure> }
  | { readonly type: 'card-front-checked'; readonly op: number; readonly answer: Answer<CardFrontResult, BookingCardFailure> }
  | { readonly type: 'tries-left-read'; readonly op: number; readonly answer: Answer<number, BookingCardFailure> }
  | { readonly type: 'password-checked'; readonly op: number; readonly answer: Answer<VerifyOutcome, BookingCardFailure> }
  | { readonly type: 'face-checked'; readonly op: number; readonly answer: Answer<LockView, CenterFailure> }
  | { readonly type: 'booked'; readonly op: number; readonly answer: Answer<BookingReceipt, CenterFailure> };

/** Each effect is answered by one event: see session.ts. */
export type BookingEffect =
  | { readonly type: 'identify-card'; readonly op: number }
  | { readonly type: 'read-card-status'; readonly op: number; readonly cardId: string }
  | { readonly type: 'check-card-front'; readonly op: number; readonly front: CardFront }
  | { readonly type: 'read-tries-left'; readonly op: number; readonly password: ResetKind }
  | { readonly type: 'verify-password'; readonly op: number; readonly password: ResetKind; readonly value: Secret }
  | { readonly type: 'face-check'; readonly op: number; readonly cardId: string; readonly passed: boolean }
  | { readonly type: 'book'; readonly op: number; readonly request: BookingRequest };

export interface BookingContext {
  /** A fresh operation number, used by any effect this step starts. */
  readonly op: number;
}

export interface BookingStepResult {
  readonly state: BookingState;
  readonly effects: readonly BookingEffect[];
}

// ---------------------------------------------------------------------------------------------
// Transitions

function go(state: BookingState, ...effects: BookingEffect[]): BookingStepResult {
  return { state, effects };
}

function refuse(reason: BookingRefusal, kind: ResetKind, extra: { until?: number; centerReason?: Reason; detail?: string } = {}): BookingStepResult {
  return go({ step: 'refused', reason, kind, ...extra });
}

function cardFailed(failure: BookingCardFailure, kind: ResetKind): BookingStepResult {
  return refuse('card-unavailable', kind, { detail: failure.detail });
}

function centerFailed(failure: CenterFailure, kind: ResetKind): BookingStepResult {
  if (!failure.refused) return refuse('center-unavailable', kind, { detail: failure.detail });
  if (failure.reason === 'maintenance') return refuse('maintenance', kind, failure.until !== undefined ? { until: failure.until } : {});
  if (failure.reason === 'app-locked') return refuse('app-locked', kind);
  return refuse('center-refused', kind, failure.reason !== undefined ? { centerReason: failure.reason } : {});
}

function work(from: WorkingFrom, task: Task, effect: BookingEffect): BookingStepResult {
  return go({ step: 'working', op: effect.op, from, task }, effect);
}

function book(from: WorkingFrom, cardId: string, ctx: BookingContext): BookingStepResult {
  const kind = from.kind;
  return work(from, { awaits: 'booking', cardId }, {
    type: 'book',
    op: ctx.op,
    request: { cardId, kind, identity: { cardFront: true, otherPassword: true, faceCheck: kind === 'sign' ? 'passed' : 'not-required' } },
  });
}

function onIntent(state: BookingState, intent: BookingIntent, ctx: BookingContext): BookingStepResult | null {
  // やめる: at any step that has not ended, even while a step runs (its answer is then dropped).
  if (intent.type === 'cancel') return isFinal(state) ? null : go({ step: 'cancelled' });
  switch (state.step) {
    case 'consent':
      return intent.type === 'consent' ? go(intent.agree ? { step: 'choose-kind' } : { step: 'cancelled' }) : null;
    case 'choose-kind':
      return intent.type === 'choose-kind' ? go({ step: 'card-front', kind: intent.kind }) : null;
    case 'card-front': {
      if (intent.type !== 'submit-card-front') return null;
      const field = cardFrontProblem(intent.front);
      // A field that cannot be right is not sent to the card.
      if (field) return go({ step: 'card-front', kind: state.kind, problem: { field } });
      return work(state, { awaits: 'identify', front: intent.front }, { type: 'identify-card', op: ctx.op });
    }
    case 'other-password': {
      if (intent.type !== 'submit-other-password') return null;
      const raw = intent.value.reveal();
      const typed = state.asks === 'sign' ? normalizeSignPassword(raw) : raw;
      const format = passwordFormatProblem(state.asks, typed);
      // A value that cannot be right is not sent: it would only cost a try.
      if (format) return go({ ...state, problem: { format } });
      return work(
        state,
        { awaits: 'password-check', cardId: state.cardId, asks: state.asks },
        { type: 'verify-password', op: ctx.op, password: state.asks, value: new Secret(typed) },
      );
    }
    case 'face-check':
      if (intent.type !== 'face-check') return null;
      return work(state, { awaits: 'face-check', cardId: state.cardId, passed: intent.passed }, { type: 'face-check', op: ctx.op, cardId: state.cardId, passed: intent.passed });
    case 'working':
    case 'booked':
    case 'refused':
    case 'cancelled':
      return null;
  }
}

/** An answer for the working state `s` (its op already matched). */
function onAnswer(s: Extract<BookingState, { step: 'working' }>, event: Exclude<BookingEvent, { type: 'intent' }>, ctx: BookingContext): BookingStepResult | null {
  const { from, task } = s;
  const kind = from.kind;
  switch (event.type) {
    case 'card-identified': {
      if (task.awaits !== 'identify') return null;
      if (!event.answer.ok) return cardFailed(event.answer.failure, kind);
      const id = event.answer.value;
      if (!id.simulator) return refuse('real-card', kind);
      if (!id.hasSignCertificate) return refuse(kind === 'sign' ? 'no-sign-certificate' : 'no-other-password', kind);
      // The center first: a locked card or maintenance must not cost the citizen a try on the card.
      return work(from, { awaits: 'card-status', cardId: id.cardId, front: task.front }, { type: 'read-card-status', op: ctx.op, cardId: id.cardId });
    }
    case 'card-status-read': {
      if (task.awaits === 'card-status') {
        if (!event.answer.ok) return centerFailed(event.answer.failure, kind);
        const status = event.answer.value;
        if (status.maintenance) return refuse('maintenance', kind, { until: status.maintenance.until });
        if (status.lock.locked) return refuse('app-locked', kind);
        return work(from, { awaits: 'card-front-check', cardId: task.cardId }, { type: 'check-card-front', op: ctx.op, front: task.front });
      }
      if (task.awaits === 'face-lock') {
        if (!event.answer.ok) return centerFailed(event.answer.failure, kind);
        const { lock } = event.answer.value;
        return go({ step: 'face-check', kind, cardId: task.cardId, consecutiveFailures: lock.consecutiveFailures, failuresBeforeLock: lock.failuresBeforeLock, lastFailed: false });
      }
      return null;
    }
    case 'card-front-checked': {
      if (task.awaits !== 'card-front-check') return null;
      if (!event.answer.ok) return cardFailed(event.answer.failure, kind);
      const r = event.answer.value;
      if (r.result === 'locked') return refuse('card-front-locked', kind);
      if (r.result === 'mismatch') return go({ step: 'card-front', kind, problem: { mismatch: true, triesLeft: r.triesLeft } });
      const asks = otherPassword(kind);
      return work(from, { awaits: 'tries-left', cardId: task.cardId, asks }, { type: 'read-tries-left', op: ctx.op, password: asks });
    }
    case 'tries-left-read': {
      if (task.awaits !== 'tries-left') return null;
      if (!event.answer.ok) return cardFailed(event.answer.failure, kind);
      const triesLeft = event.answer.value;
      if (triesLeft === 0) return refuse('password-locked', kind);
      return go({ step: 'other-password', kind, cardId: task.cardId, asks: task.asks, triesLeft });
    }
    case 'password-checked': {
      if (task.awaits !== 'password-check') return null;
      if (!event.answer.ok) return cardFailed(event.answer.failure, kind);
      const r = event.answer.value;
      if (r.result === 'locked') return refuse('password-locked', kind);
      if (r.result === 'wrong') {
        if (r.triesLeft === 0) return refuse('password-locked', kind);
        return go({ step: 'other-password', kind, cardId: task.cardId, asks: task.asks, triesLeft: r.triesLeft, problem: { wrong: true } });
      }
      if (kind === 'sign') return work(from, { awaits: 'face-lock', cardId: task.cardId }, { type: 'read-card-status', op: ctx.op, cardId: task.cardId });
      return book(from, task.cardId, ctx);
    }
    case 'face-checked': {
      if (task.awaits !== 'face-check' || from.step !== 'face-check') return null;
      if (!event.answer.ok) return centerFailed(event.answer.failure, kind);
      const lock = event.answer.value;
      if (lock.locked) return refuse('app-locked', kind);
      if (!task.passed) return go({ ...from, consecutiveFailures: lock.consecutiveFailures, failuresBeforeLock: lock.failuresBeforeLock, lastFailed: true });
      return book(from, task.cardId, ctx);
    }
    case 'booked': {
      if (task.awaits !== 'booking') return null;
      if (!event.answer.ok) return centerFailed(event.answer.failure, kind);
      const r = event.answer.value;
      return go({ step: 'booked', kind, cardId: r.cardId, bookingId: r.bookingId, completedAt: r.completedAt, expiresAt: r.expiresAt, replaced: r.replaced });
    }
  }
}

/** The next state and effects for `event`, or null when the event does not apply in `state`. */
export function step(state: BookingState, event: BookingEvent, ctx: BookingContext): BookingStepResult | null {
  if (event.type === 'intent') return onIntent(state, event.intent, ctx);
  // An answer counts only for the operation the session is waiting for (not after a cancel).
  if (state.step !== 'working' || state.op !== event.op) return null;
  return onAnswer(state, event, ctx);
}

// ---------------------------------------------------------------------------------------------
// The app page

type WithoutCard<T> = T extends unknown ? Omit<T, 'card'> : never;

/** The app page for a session, before the card in hand is added (AppState without `card`). */
export type AppPage = WithoutCard<Exclude<AppState, { step: 'idle' }>>;

/**
 * What the app page shows for a flow state: the one mapping (the host's window.kiosk.app and the
 * CLI both show this). A working state shows the step it was submitted from. Never a password.
 */
export function pageOf(s: BookingState): AppPage {
  switch (s.step) {
    case 'consent':
    case 'choose-kind':
    case 'cancelled':
      return { step: s.step };
    case 'working':
      return pageOf(s.from);
    case 'card-front':
      return {
        step: 'card-front',
        kind: s.kind,
        problem: s.problem === undefined ? null : 'field' in s.problem ? { field: s.problem.field } : { mismatch: true, triesLeft: s.problem.triesLeft },
      };
    case 'other-password': {
      const rule = PASSWORD_RULES[s.asks];
      return {
        step: 'other-password',
        kind: s.kind,
        password: s.asks,
        inputMode: s.asks === 'auth' ? 'numeric' : 'alphanumeric',
        minLength: rule.minLength,
        maxLength: rule.maxLength,
        triesLeft: s.triesLeft,
        maxTries: rule.maxTries,
        problem: s.problem === undefined ? null : 'wrong' in s.problem ? 'wrong-password' : s.problem.format,
      };
    }
    case 'face-check':
      return {
        step: 'face-check',
        kind: s.kind,
        consecutiveFailures: s.consecutiveFailures,
        failuresBeforeLock: s.failuresBeforeLock,
        lastFailed: s.lastFailed,
      };
    case 'booked':
      return { step: 'booked', kind: s.kind, bookingId: s.bookingId, completedAt: s.completedAt, expiresAt: s.expiresAt, replaced: s.replaced };
    case 'refused':
      return {
        step: 'refused',
        reason: s.reason,
        kind: s.kind ?? null,
        until: s.until ?? null,
        centerReason: s.centerReason ?? null,
        detail: s.detail === undefined ? null : s.detail.slice(0, 500),
      };
  }
}

/** The app's AppState for the session holding `card`. */
export function appStateOf(card: AppCard, s: BookingState): AppState {
  return { ...pageOf(s), card };
}
