/**
 * The 「JPKI暗証番号リセット」 app's reservation, as the simulator runs it
 * (docs/kiosk-flow.md §6): consent → which password → card front → the *other* password on the
 * card → face check (署名用 only) → booking at the center.
 *
 * One session = one BookingFlow. Each intent is allowed only in its step (a wrong-step intent is a
 * BookingFlowError, never a silent skip), and every refusal ends in a `refused` state whose reason
 * the screens and the CLI turn into a message that says why and where to go next (messages.ts).
 * Password values pass through to the card and are never kept in the state or in errors.
 */
import { normalizeSignPassword, otherPassword, passwordFormatProblem, type PasswordFormatProblem, type ResetKind } from '../domain/passwords';
import { CenterError } from '../center/client';
import type { Reason } from '../center/schemas';
import { cardFrontProblem, type CardFrontProblem } from './card-front';
import type { BookingCard, BookingCenter, CardFront } from './ports';

export type BookingRefusal =
  | 'maintenance'
  | 'app-locked'
  /** Not a simulator card: the simulator never changes a real card (a wrong 照合番号B or password would). */
  | 'real-card'
  /** 署名用 asked for a card without a signature certificate (under 15): nothing to reset. */
  | 'no-sign-certificate'
  /** 利用者証明用 asked, but the card has no signature password to prove who is booking. */
  | 'no-other-password'
  | 'card-front-blocked'
  /** The other password is locked: only the municipal counter can help. */
  | 'password-locked'
  | 'card-unavailable'
  | 'center-unavailable'
  /** The center refused for a reason the app did not expect (see `centerReason`). */
  | 'center-refused';

export type BookingState =
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

export type BookingStep = BookingState['step'];

export class BookingFlowError extends Error {
  constructor(
    readonly code: 'WRONG_STEP' | 'BUSY',
    message: string,
  ) {
    super(message);
    this.name = 'BookingFlowError';
  }
}

const FINAL: ReadonlySet<BookingStep> = new Set(['booked', 'refused', 'cancelled']);

export class BookingFlow {
  private current: BookingState = { step: 'consent' };
  private busy = false;
  /** Bumped by cancel(), so an answer that arrives after it is dropped. */
  private epoch = 0;
  private readonly listeners = new Set<(s: BookingState) => void>();

  constructor(
    private readonly card: BookingCard,
    private readonly center: BookingCenter,
  ) {}

  get state(): BookingState {
    return this.current;
  }

  /** Called with every new state. Returns an unsubscribe function. */
  onChange(listener: (s: BookingState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private set(s: BookingState): BookingState {
    this.current = s;
    for (const l of this.listeners) l(s);
    return s;
  }

  private expect<S extends BookingStep>(step: S, intent: string): Extract<BookingState, { step: S }> {
    if (this.busy) throw new BookingFlowError('BUSY', `${intent}: the previous step is still running`);
    if (this.current.step !== step) throw new BookingFlowError('WRONG_STEP', `${intent} is not possible at the ${this.current.step} step`);
    return this.current as Extract<BookingState, { step: S }>;
  }

  /** Runs one async step; its result is applied only if the session was not cancelled meanwhile. */
  private async run(work: () => Promise<BookingState>): Promise<BookingState> {
    this.busy = true;
    const epoch = this.epoch;
    try {
      const next = await work();
      return epoch === this.epoch ? this.set(next) : this.current;
    } finally {
      this.busy = false;
    }
  }

  consent(agree: boolean): BookingState {
    this.expect('consent', 'consent');
    return this.set(agree ? { step: 'choose-kind' } : { step: 'cancelled' });
  }

  chooseKind(kind: ResetKind): BookingState {
    this.expect('choose-kind', 'choosing the password');
    return this.set({ step: 'card-front', kind });
  }

  /** Reads the card and checks the card front against it; then asks for the other password. */
  async submitCardFront(front: CardFront): Promise<BookingState> {
    const { kind } = this.expect('card-front', 'card front');
    const field = cardFrontProblem(front);
    if (field) return this.set({ step: 'card-front', kind, problem: { field } });
    return this.run(async () => {
      let cardId: string;
      try {
        const id = await this.card.identify();
        if (!id.simulator) return { step: 'refused', reason: 'real-card', kind };
        if (!id.hasSignCertificate) return { step: 'refused', reason: kind === 'sign' ? 'no-sign-certificate' : 'no-other-password', kind };
        cardId = id.cardId;
      } catch (err) {
        return cardRefusal(err, kind);
      }
      // The center first: a locked card or maintenance must not cost the citizen a try on the card.
      try {
        const status = await this.center.cardStatus(cardId);
        if (status.maintenance) return { step: 'refused', reason: 'maintenance', kind, until: status.maintenance.until };
        if (status.lock.locked) return { step: 'refused', reason: 'app-locked', kind };
      } catch (err) {
        return centerRefusal(err, kind);
      }
      const asks = otherPassword(kind);
      try {
        const r = await this.card.checkCardFront(front);
        if (r.outcome === 'blocked') return { step: 'refused', reason: 'card-front-blocked', kind };
        if (r.outcome === 'mismatch') return { step: 'card-front', kind, problem: { mismatch: true, triesLeft: r.triesLeft } };
        const triesLeft = await this.card.triesLeft(asks);
        if (triesLeft === 0) return { step: 'refused', reason: 'password-locked', kind };
        return { step: 'other-password', kind, cardId, asks, triesLeft };
      } catch (err) {
        return cardRefusal(err, kind);
      }
    });
  }

  /** VERIFY of the other password on the card; a wrong value costs a try there. */
  async submitOtherPassword(value: string): Promise<BookingState> {
    const s = this.expect('other-password', 'other password');
    const typed = s.asks === 'sign' ? normalizeSignPassword(value) : value;
    const format = passwordFormatProblem(s.asks, typed);
    // A value that cannot be right is not sent: it would only cost a try.
    if (format) return this.set({ ...s, problem: { format } });
    return this.run(async () => {
      let r;
      try {
        r = await this.card.verifyPassword(s.asks, typed);
      } catch (err) {
        return cardRefusal(err, s.kind);
      }
      if (r.outcome === 'blocked') return { step: 'refused', reason: 'password-locked', kind: s.kind };
      if (r.outcome === 'wrong') {
        if (r.triesLeft === 0) return { step: 'refused', reason: 'password-locked', kind: s.kind };
        return { step: 'other-password', kind: s.kind, cardId: s.cardId, asks: s.asks, triesLeft: r.triesLeft, problem: { wrong: true } };
      }
      if (s.kind === 'sign') {
        try {
          const status = await this.center.cardStatus(s.cardId);
          return {
            step: 'face-check',
            kind: s.kind,
            cardId: s.cardId,
            consecutiveFailures: status.lock.consecutiveFailures,
            failuresBeforeLock: status.lock.failuresBeforeLock,
            lastFailed: false,
          };
        } catch (err) {
          return centerRefusal(err, s.kind);
        }
      }
      return this.book(s.cardId, s.kind);
    });
  }

  /** The face match against the chip photo, as the trainer decides it (署名用 only). */
  async submitFaceCheck(passed: boolean): Promise<BookingState> {
    const s = this.expect('face-check', 'face check');
    return this.run(async () => {
      try {
        const lock = await this.center.faceCheck(s.cardId, passed);
        if (lock.locked) return { step: 'refused', reason: 'app-locked', kind: s.kind };
        if (!passed) {
          return { ...s, consecutiveFailures: lock.consecutiveFailures, failuresBeforeLock: lock.failuresBeforeLock, lastFailed: true };
        }
      } catch (err) {
        return centerRefusal(err, s.kind);
      }
      return this.book(s.cardId, s.kind);
    });
  }

  /** Ends the session (any step but a final one). */
  cancel(): BookingState {
    if (FINAL.has(this.current.step)) throw new BookingFlowError('WRONG_STEP', `the session already ended (${this.current.step})`);
    this.epoch++;
    return this.set({ step: 'cancelled' });
  }

  private async book(cardId: string, kind: ResetKind): Promise<BookingState> {
    try {
      const r = await this.center.book({
        cardId,
        kind,
        identity: { cardFront: true, otherPassword: true, faceCheck: kind === 'sign' ? 'passed' : 'not-required' },
      });
      return { step: 'booked', kind, cardId: r.cardId, bookingId: r.bookingId, completedAt: r.completedAt, expiresAt: r.expiresAt, replaced: r.replaced };
    } catch (err) {
      return centerRefusal(err, kind);
    }
  }
}

function centerRefusal(err: unknown, kind: ResetKind): BookingState {
  if (err instanceof CenterError && err.code === 'REFUSED') {
    if (err.reason === 'maintenance') return { step: 'refused', reason: 'maintenance', kind, ...(err.details.until !== undefined && { until: err.details.until }) };
    if (err.reason === 'app-locked') return { step: 'refused', reason: 'app-locked', kind };
    return { step: 'refused', reason: 'center-refused', kind, ...(err.reason !== undefined && { centerReason: err.reason }) };
  }
  return { step: 'refused', reason: 'center-unavailable', kind, detail: describe(err) };
}

function cardRefusal(err: unknown, kind: ResetKind): BookingState {
  return { step: 'refused', reason: 'card-unavailable', kind, detail: describe(err) };
}

function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
