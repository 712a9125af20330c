/**
 * The kiosk session as one state machine (docs/kiosk-flow.md §1): top menu → 行政サービス →
 * マイナンバーカード → notice → place card → read card → center check → other password → new
 * password ×2 → reset → done → take card → top, with a guidance screen for every refusal.
 *
 * Pure: `step(state, event, context)` returns the next state and the effects to run (card reads,
 * center calls), or null when the event does not apply here (a stale tap). session.ts runs the
 * effects and feeds their results back as events tagged with the operation number (`op`) that
 * started them, so a late result from an abandoned step can never move a newer screen.
 *
 * The safety invariant lives here as data: the only way into `writing` carries the evidence that
 * the other password was verified on this card (`verified`) and a usable reservation for this card
 * and kind (`reservation`); session.ts re-checks it (mayReset) before the card is touched.
 */
import type { GuidanceReason, Intent, JourneyStep, ReaderStatus, Screen, ScreenOf, ServiceId, AdminItem, CardMenuOption } from '../contract/kiosk';
import { chainOffers, type ChainId } from '../domain/chains';
import { serviceHours, type MaintenanceWindow } from '../domain/hours';
import { otherPassword, PASSWORD_RULES, passwordFormatProblem, type PasswordFormatProblem, type ResetKind } from '../domain/passwords';
import { guidance, type GuidanceScreen } from './guidance';
import type { CardInfo, ReservationCheck, ReservationRefusal, VerifyOutcome } from './ports';
import { Secret } from './secret';

// ---------------------------------------------------------------------------------------------
// State

/** What the session learned from the card, kept for later screens. */
export interface CardFacts {
  readonly cardId: string;
  readonly triesLeft: Readonly<Record<ResetKind, number>>;
}

/** Proof that the other password was verified on this card during this session. */
export interface VerifiedEvidence {
  readonly cardId: string;
  readonly password: ResetKind;
}

export interface ReservationFacts {
  readonly cardId: string;
  readonly kind: ResetKind;
  readonly reservationId: string;
}

export type WritingStep = 'authorizing' | 'writing-card' | 'confirming';
export type TakeCardAfter = ScreenOf<'take-card'>['after'];

export type FlowState =
  | { readonly tag: 'top' }
  | { readonly tag: 'admin-menu' }
  | { readonly tag: 'card-menu' }
  | { readonly tag: 'notice'; readonly kind: ResetKind }
  | { readonly tag: 'place-card'; readonly kind: ResetKind }
  | { readonly tag: 'reading-card'; readonly kind: ResetKind; readonly op: number }
  | { readonly tag: 'checking-reservation'; readonly kind: ResetKind; readonly card: CardFacts; readonly op: number }
  | {
      readonly tag: 'other-password';
      readonly kind: ResetKind;
      readonly card: CardFacts;
      readonly reservation: ReservationFacts;
      readonly problem: PasswordFormatProblem | 'wrong-password' | null;
    }
  | {
      readonly tag: 'verifying';
      readonly kind: ResetKind;
      readonly card: CardFacts;
      readonly reservation: ReservationFacts;
      readonly op: number;
    }
  | {
      readonly tag: 'new-password';
      readonly kind: ResetKind;
      readonly card: CardFacts;
      readonly reservation: ReservationFacts;
      readonly verified: VerifiedEvidence;
      readonly step: 'first';
      readonly problem: PasswordFormatProblem | 'mismatch' | null;
    }
  | {
      readonly tag: 'new-password';
      readonly kind: ResetKind;
      readonly card: CardFacts;
      readonly reservation: ReservationFacts;
      readonly verified: VerifiedEvidence;
      readonly step: 'confirm';
      readonly first: Secret;
      readonly problem: PasswordFormatProblem | null;
    }
  | {
      readonly tag: 'writing';
      readonly kind: ResetKind;
      readonly card: CardFacts;
      readonly reservation: ReservationFacts;
      readonly verified: VerifiedEvidence;
      readonly step: WritingStep;
      readonly op: number;
      /** The card left the reader while writing: the outcome decides what the screen says. */
      readonly cardRemoved: boolean;
    }
  | { readonly tag: 'done'; readonly kind: ResetKind }
  | { readonly tag: 'guidance'; readonly screen: GuidanceScreen }
  | { readonly tag: 'take-card'; readonly after: TakeCardAfter };

export type FlowTag = FlowState['tag'];

export const INITIAL_STATE: FlowState = { tag: 'top' };

// ---------------------------------------------------------------------------------------------
// Events and effects

/** Card operation failures as the flow tells them apart. */
export type CardFailure = 'card-removed' | 'reader-unavailable' | 'card-error' | 'real-card';

export type ResetOutcome =
  /** The card took the new password; `confirmed` when the center has recorded it too. */
  | { readonly result: 'reset'; readonly confirmed: boolean }
  | { readonly result: 'not-reset'; readonly cause: 'center-refused'; readonly refusal: ReservationRefusal }
  | { readonly result: 'not-reset'; readonly cause: 'center-unavailable' | CardFailure | 'card-refused' }
  /** The card left or failed during the write itself: whether it changed is not known. */
  | { readonly result: 'unknown'; readonly cause: CardFailure };

/** Intents the flow handles; language, 続ける and key activity are the session's business. */
export type FlowIntent = Exclude<Intent, { type: 'set-language' | 'continue' | 'input-activity' }>;

export type FlowEvent =
  | { readonly type: 'intent'; readonly intent: FlowIntent }
  | { readonly type: 'card-placed' }
  | { readonly type: 'card-removed' }
  /** pcscd or the reader went away while a card was on it. */
  | { readonly type: 'reader-lost' }
  | {
      readonly type: 'card-read';
      readonly op: number;
      readonly result: { readonly ok: true; readonly info: CardInfo } | { readonly ok: false; readonly failure: CardFailure };
    }
  | { readonly type: 'reservation-checked'; readonly op: number; readonly result: ReservationCheck | { readonly status: 'unavailable' } }
  | {
      readonly type: 'password-verified';
      readonly op: number;
      readonly result: VerifyOutcome | { readonly result: 'failed'; readonly failure: CardFailure };
    }
  | { readonly type: 'reset-progress'; readonly op: number; readonly step: WritingStep }
  | { readonly type: 'reset-finished'; readonly op: number; readonly outcome: ResetOutcome }
  /** The inactivity countdown of this screen ran out. */
  | { readonly type: 'timeout' };

export type Effect =
  | { readonly type: 'read-card'; readonly op: number }
  | { readonly type: 'check-reservation'; readonly op: number; readonly cardId: string; readonly kind: ResetKind }
  | { readonly type: 'verify-password'; readonly op: number; readonly cardId: string; readonly password: ResetKind; readonly value: Secret }
  | {
      readonly type: 'reset-card';
      readonly op: number;
      readonly kind: ResetKind;
      readonly reservation: ReservationFacts;
      readonly verified: VerifiedEvidence;
      readonly newPassword: Secret;
    };

export interface FlowContext {
  /** Simulated clock. */
  readonly now: number;
  readonly chain: ChainId;
  readonly maintenance: readonly MaintenanceWindow[];
  readonly reader: ReaderStatus;
  /** A fresh operation number, used by any effect this step starts. */
  readonly op: number;
}

export interface FlowStep {
  readonly state: FlowState;
  readonly effects: readonly Effect[];
}

// ---------------------------------------------------------------------------------------------
// Pure rules used by the transitions

/** Why this card cannot be used for this reset, from what was read; null when it can. */
export function cardRefusal(info: CardInfo, kind: ResetKind, now: number): GuidanceReason | null {
  if (!info.isMyNumberCard) return 'not-my-number-card';
  // A real card is refused before anything else is asked of it: the simulator never VERIFYs it.
  if (!info.isSimulatorCard) return 'real-card';
  if (info.cardExpiresAt !== null && now >= info.cardExpiresAt) return 'card-expired';
  const cert = info.certificates[kind];
  if (kind === 'sign' && cert === 'absent') return 'no-signature-certificate';
  if (cert === 'revoked' || cert === 'absent') return 'certificate-revoked';
  if (cert === 'expired') return 'certificate-expired';
  const other = otherPassword(kind);
  // Resetting the auth PIN needs the signature password: without a signature certificate there is
  // none (under 15), so the kiosk cannot verify the citizen.
  if (other === 'sign' && info.certificates.sign === 'absent') return 'no-signature-certificate';
  if (info.triesLeft[other] === 0) return info.triesLeft[kind] === 0 ? 'both-passwords-locked' : 'other-password-locked';
  if (info.cardId === null) return 'card-error';
  return null;
}

/** The two conditions for a reset, checked again by the session right before the card is written. */
export function mayReset(state: FlowState, cardId: string, kind: ResetKind): boolean {
  return (
    state.tag === 'writing' &&
    state.kind === kind &&
    state.card.cardId === cardId &&
    state.reservation.cardId === cardId &&
    state.reservation.kind === kind &&
    state.verified.cardId === cardId &&
    state.verified.password === otherPassword(kind)
  );
}

/**
 * 「やめる」 only while there is something to stop: not at the top, not while the card is asked or
 * written, and not once the session has ended (done, guidance, take-card) — there the screen's own
 * button closes it, and a cancel would only claim to stop what is already over.
 */
export function canCancel(state: FlowState): boolean {
  switch (state.tag) {
    case 'top':
    case 'verifying':
    case 'writing':
    case 'done':
    case 'guidance':
    case 'take-card':
      return false;
    default:
      return true;
  }
}

export function canGoBack(state: FlowState): boolean {
  return state.tag === 'admin-menu' || state.tag === 'card-menu' || state.tag === 'notice' || state.tag === 'place-card';
}

/** Whether this state keeps a connection to the card (otherwise the session releases it). */
export function holdsCard(state: FlowState): boolean {
  return (
    state.tag === 'reading-card' ||
    state.tag === 'checking-reservation' ||
    state.tag === 'other-password' ||
    state.tag === 'verifying' ||
    state.tag === 'new-password' ||
    state.tag === 'writing'
  );
}

/**
 * Which inactivity countdown a screen has: `screen` (the ordinary one), `take-card`, or `none` —
 * the top menu (idle) and the steps where the kiosk, not the citizen, is working (those have
 * operation deadlines instead, and the card must never be abandoned mid-write).
 */
export function timeoutKind(state: FlowState): 'screen' | 'take-card' | 'none' {
  switch (state.tag) {
    case 'top':
    case 'reading-card':
    case 'checking-reservation':
    case 'verifying':
    case 'writing':
      return 'none';
    case 'take-card':
      return 'take-card';
    default:
      return 'screen';
  }
}

export function journeyStep(state: FlowState): JourneyStep | null {
  switch (state.tag) {
    case 'notice':
      return 'notice';
    case 'place-card':
    case 'reading-card':
    case 'checking-reservation':
      return 'card';
    case 'other-password':
    case 'verifying':
      return 'verify';
    case 'new-password':
    case 'writing':
      return 'new-password';
    case 'done':
      return 'done';
    default:
      return null;
  }
}

const SERVICES: readonly ServiceId[] = ['copy', 'print', 'photo', 'scan', 'fax', 'admin'];
const ADMIN_ITEMS: readonly AdminItem[] = ['certificates', 'my-number-card'];

function passwordField(password: ResetKind) {
  const rule = PASSWORD_RULES[password];
  return {
    password,
    inputMode: password === 'auth' ? ('numeric' as const) : ('alphanumeric' as const),
    minLength: rule.minLength,
    maxLength: rule.maxLength,
  };
}

/** The screen the renderer shows for a state. Never includes a password or its length. */
export function screenOf(state: FlowState, ctx: Pick<FlowContext, 'chain'>): Screen {
  switch (state.tag) {
    case 'top':
      return { id: 'top', services: SERVICES.map((service) => ({ service, enabled: service === 'admin' })) };
    case 'admin-menu':
      return { id: 'admin-menu', items: ADMIN_ITEMS.map((item) => ({ item, enabled: item === 'my-number-card' })) };
    case 'card-menu':
      return {
        id: 'card-menu',
        options: [
          { option: 'reset-sign', offered: chainOffers(ctx.chain, 'sign') },
          { option: 'reset-auth', offered: chainOffers(ctx.chain, 'auth') },
          { option: 'reset-juki', offered: false },
          { option: 'reset-text', offered: false },
        ],
      };
    case 'notice':
      return { id: 'notice', kind: state.kind };
    case 'place-card':
      return { id: 'place-card', kind: state.kind };
    case 'reading-card':
      return { id: 'progress', kind: state.kind, step: 'reading-card', doNotRemoveCard: false };
    case 'checking-reservation':
      return { id: 'progress', kind: state.kind, step: 'checking-reservation', doNotRemoveCard: false };
    case 'verifying':
      return { id: 'progress', kind: state.kind, step: 'verifying-password', doNotRemoveCard: false };
    case 'other-password': {
      const other = otherPassword(state.kind);
      return {
        id: 'other-password',
        kind: state.kind,
        ...passwordField(other),
        triesLeft: state.card.triesLeft[other],
        maxTries: PASSWORD_RULES[other].maxTries,
        problem: state.problem,
      };
    }
    case 'new-password':
      return { id: 'new-password', kind: state.kind, ...passwordField(state.kind), step: state.step, problem: state.problem };
    case 'writing':
      return { id: 'progress', kind: state.kind, step: state.step, doNotRemoveCard: true };
    case 'done':
      return { id: 'done', kind: state.kind };
    case 'guidance':
      return state.screen;
    case 'take-card':
      return { id: 'take-card', after: state.after };
  }
}

// ---------------------------------------------------------------------------------------------
// Transitions

function go(state: FlowState, ...effects: Effect[]): FlowStep {
  return { state, effects };
}

function toGuidance(reason: GuidanceReason, facts: Parameters<typeof guidance>[1] = {}): FlowStep {
  return go({ tag: 'guidance', screen: guidance(reason, facts) });
}

/** The session ends: ask for the card back if one is on the reader, else straight to the top. */
function endSession(after: TakeCardAfter, ctx: FlowContext): FlowStep {
  return go(ctx.reader.state === 'card-present' ? { tag: 'take-card', after } : { tag: 'top' });
}

function hoursRefusal(ctx: FlowContext, kind: ResetKind | null): FlowStep | null {
  const hours = serviceHours(ctx.now, ctx.maintenance);
  if (hours.open) return null;
  return toGuidance(hours.reason === 'maintenance' ? 'maintenance' : 'outside-hours', { kind, opensAt: hours.opensAt });
}

function enterPlaceCard(kind: ResetKind, ctx: FlowContext): FlowStep {
  if (ctx.reader.state === 'unavailable' || ctx.reader.state === 'no-reader') {
    return toGuidance('reader-unavailable', { kind, changed: null });
  }
  // A card already on the reader is read at once.
  if (ctx.reader.state === 'card-present') return go({ tag: 'reading-card', kind, op: ctx.op }, { type: 'read-card', op: ctx.op });
  return go({ tag: 'place-card', kind });
}

function chooseCardOption(option: CardMenuOption, ctx: FlowContext): FlowStep {
  if (option === 'reset-juki' || option === 'reset-text') return toGuidance('counter-only-pin');
  const kind: ResetKind = option === 'reset-sign' ? 'sign' : 'auth';
  if (!chainOffers(ctx.chain, kind)) return toGuidance('chain-does-not-offer', { kind });
  return go({ tag: 'notice', kind });
}

function cardFailureGuidance(failure: CardFailure, kind: ResetKind, changed: 'nothing' | 'not-written' = 'nothing'): FlowStep {
  switch (failure) {
    case 'card-removed':
      return toGuidance('card-removed', { kind, changed });
    case 'reader-unavailable':
      return toGuidance('reader-unavailable', { kind, changed });
    case 'real-card':
      return toGuidance('real-card', { kind, changed });
    case 'card-error':
      return toGuidance('card-error', { kind, changed });
  }
}

function resetFinished(state: Extract<FlowState, { tag: 'writing' }>, outcome: ResetOutcome): FlowStep {
  const kind = state.kind;
  if (outcome.result === 'reset') {
    // The new password is set. If the card already left, say so on the removal screen, truthfully.
    return state.cardRemoved ? toGuidance('card-removed', { kind, changed: 'reset-completed' }) : go({ tag: 'done', kind });
  }
  if (outcome.result === 'unknown') {
    return toGuidance(outcome.cause === 'card-removed' || state.cardRemoved ? 'card-removed' : 'card-error', { kind, changed: 'unknown' });
  }
  // The card did not take the new password and the reservation was not spent: say both.
  const kept = 'not-written' as const;
  if (state.cardRemoved) return toGuidance('card-removed', { kind, changed: kept });
  switch (outcome.cause) {
    case 'center-refused':
      return toGuidance(outcome.refusal, { kind, changed: 'nothing' });
    case 'center-unavailable':
      return toGuidance('center-unavailable', { kind, changed: kept });
    case 'card-refused':
      return toGuidance('card-error', { kind, changed: kept });
    default:
      return cardFailureGuidance(outcome.cause, kind, kept);
  }
}

function onIntent(state: FlowState, intent: FlowIntent, ctx: FlowContext): FlowStep | null {
  if (intent.type === 'cancel') return canCancel(state) ? endSession('cancelled', ctx) : null;
  switch (state.tag) {
    case 'top':
      return intent.type === 'choose-service' && intent.service === 'admin' ? go({ tag: 'admin-menu' }) : null;
    case 'admin-menu':
      if (intent.type === 'back') return go({ tag: 'top' });
      if (intent.type === 'choose-admin-item' && intent.item === 'my-number-card') return hoursRefusal(ctx, null) ?? go({ tag: 'card-menu' });
      return null;
    case 'card-menu':
      if (intent.type === 'back') return go({ tag: 'admin-menu' });
      if (intent.type === 'choose-card-option') return chooseCardOption(intent.option, ctx);
      return null;
    case 'notice':
      if (intent.type === 'back') return go({ tag: 'card-menu' });
      // Hours are checked again: the citizen may have read the notice across 23:00.
      if (intent.type === 'agree') return hoursRefusal(ctx, state.kind) ?? enterPlaceCard(state.kind, ctx);
      return null;
    case 'place-card':
      return intent.type === 'back' ? go({ tag: 'notice', kind: state.kind }) : null;
    case 'other-password': {
      if (intent.type === 'dont-know-other-password') return toGuidance('both-passwords-unknown', { kind: state.kind, changed: 'nothing' });
      if (intent.type !== 'submit-other-password') return null;
      const other = otherPassword(state.kind);
      const problem = passwordFormatProblem(other, intent.value);
      // A malformed value is not sent to the card: it would cost a try for nothing.
      if (problem !== null) return go({ ...state, problem });
      return go(
        { tag: 'verifying', kind: state.kind, card: state.card, reservation: state.reservation, op: ctx.op },
        { type: 'verify-password', op: ctx.op, cardId: state.card.cardId, password: other, value: new Secret(intent.value) },
      );
    }
    case 'new-password': {
      if (intent.type !== 'submit-new-password') return null;
      const { kind, card, reservation, verified } = state;
      if (state.step === 'first') {
        const problem = passwordFormatProblem(kind, intent.value);
        if (problem !== null) return go({ tag: 'new-password', kind, card, reservation, verified, step: 'first', problem });
        return go({ tag: 'new-password', kind, card, reservation, verified, step: 'confirm', first: new Secret(intent.value), problem: null });
      }
      const again = new Secret(intent.value);
      if (!state.first.equals(again)) {
        return go({ tag: 'new-password', kind, card, reservation, verified, step: 'first', problem: 'mismatch' });
      }
      return go(
        { tag: 'writing', kind, card, reservation, verified, step: 'authorizing', op: ctx.op, cardRemoved: false },
        { type: 'reset-card', op: ctx.op, kind, reservation, verified, newPassword: state.first },
      );
    }
    case 'done':
      return intent.type === 'acknowledge' ? endSession('completed', ctx) : null;
    case 'guidance':
      return intent.type === 'acknowledge' ? endSession('refused', ctx) : null;
    case 'take-card':
      // The card must be taken; once it is off the reader, 確認 goes back to the top.
      return intent.type === 'acknowledge' && ctx.reader.state !== 'card-present' ? go({ tag: 'top' }) : null;
    default:
      return null;
  }
}

/** The next state and effects for `event`, or null when the event does not apply in `state`. */
export function step(state: FlowState, event: FlowEvent, ctx: FlowContext): FlowStep | null {
  switch (event.type) {
    case 'intent':
      return onIntent(state, event.intent, ctx);

    case 'card-placed':
      if (state.tag !== 'place-card') return null;
      return go({ tag: 'reading-card', kind: state.kind, op: ctx.op }, { type: 'read-card', op: ctx.op });

    case 'card-removed':
    case 'reader-lost': {
      const reason = event.type === 'card-removed' ? 'card-removed' : 'reader-unavailable';
      if (state.tag === 'writing') return go({ ...state, cardRemoved: true });
      if (holdsCard(state) && 'kind' in state) return toGuidance(reason, { kind: state.kind, changed: 'nothing' });
      if (state.tag === 'take-card' || state.tag === 'done') return go({ tag: 'top' });
      return null;
    }

    case 'card-read': {
      if (state.tag !== 'reading-card' || state.op !== event.op) return null;
      if (!event.result.ok) return cardFailureGuidance(event.result.failure, state.kind);
      const info = event.result.info;
      const refusal = cardRefusal(info, state.kind, ctx.now);
      if (refusal !== null) return toGuidance(refusal, { kind: state.kind, changed: 'nothing' });
      const card: CardFacts = { cardId: info.cardId as string, triesLeft: { ...info.triesLeft } };
      return go(
        { tag: 'checking-reservation', kind: state.kind, card, op: ctx.op },
        { type: 'check-reservation', op: ctx.op, cardId: card.cardId, kind: state.kind },
      );
    }

    case 'reservation-checked': {
      if (state.tag !== 'checking-reservation' || state.op !== event.op) return null;
      const r = event.result;
      if (r.status === 'unavailable') return toGuidance('center-unavailable', { kind: state.kind, changed: 'nothing' });
      // The card shows this reservation's reset done: an earlier try was interrupted after the write.
      if (r.status === 'refused' && r.resetOnCard === true) return toGuidance('reset-already-done', { kind: state.kind, changed: 'reset-completed' });
      if (r.status === 'refused') return toGuidance(r.refusal, { kind: state.kind, changed: 'nothing' });
      return go({
        tag: 'other-password',
        kind: state.kind,
        card: state.card,
        reservation: { cardId: state.card.cardId, kind: state.kind, reservationId: r.reservationId },
        problem: null,
      });
    }

    case 'password-verified': {
      if (state.tag !== 'verifying' || state.op !== event.op) return null;
      const { kind, card, reservation } = state;
      const other = otherPassword(kind);
      const r = event.result;
      if (r.result === 'failed') return cardFailureGuidance(r.failure, kind);
      if (r.result === 'verified') {
        return go({
          tag: 'new-password',
          kind,
          card: { ...card, triesLeft: { ...card.triesLeft, [other]: PASSWORD_RULES[other].maxTries } },
          reservation,
          verified: { cardId: card.cardId, password: other },
          step: 'first',
          problem: null,
        });
      }
      const triesLeft = r.result === 'wrong' ? r.triesLeft : 0;
      if (triesLeft === 0) {
        return toGuidance(card.triesLeft[kind] === 0 ? 'both-passwords-locked' : 'other-password-locked', { kind, changed: 'nothing' });
      }
      return go({ tag: 'other-password', kind, card: { ...card, triesLeft: { ...card.triesLeft, [other]: triesLeft } }, reservation, problem: 'wrong-password' });
    }

    case 'reset-progress':
      if (state.tag !== 'writing' || state.op !== event.op) return null;
      return go({ ...state, step: event.step });

    case 'reset-finished':
      if (state.tag !== 'writing' || state.op !== event.op) return null;
      return resetFinished(state, event.outcome);

    case 'timeout':
      switch (timeoutKind(state)) {
        case 'none':
          return null;
        case 'take-card':
          return go({ tag: 'top' });
        case 'screen':
          return endSession('timed-out', ctx);
      }
  }
}
