/**
 * One booking session at run time: holds the flow state (flow.ts), runs its effects against the
 * ports (ports.ts: the card, the center), each under a deadline, and feeds their answers back.
 * The host's app simulator (electron/host/app-simulator.ts) and `npm run app` (cli.ts) drive it.
 *
 * Each intent is allowed only in its step: one out of step is a BookingFlowError (`WRONG_STEP`, or
 * `BUSY` while a step runs), never a silent skip. An intent that starts work resolves once the
 * work is done (or dropped by a cancel), with the state it led to. The password value passes from
 * `submitOtherPassword` to the card inside a Secret; it is never in a state or in an error.
 */
import { CenterClientError } from '../center/client';
import { Secret } from '../kiosk/secret';
import {
  INITIAL_STATE,
  isFinal,
  step,
  type Answer,
  type BookingEffect,
  type BookingEvent,
  type BookingIntent,
  type BookingState,
  type BookingCardFailure,
  type CenterFailure,
} from './flow';
import type { ResetKind } from '../domain/passwords';
import type { BookingCard, BookingCenter, CardFront } from './ports';

export class BookingFlowError extends Error {
  constructor(
    readonly code: 'WRONG_STEP' | 'BUSY',
    message: string,
  ) {
    super(message);
    this.name = 'BookingFlowError';
  }
}

export interface BookingSessionOptions {
  /**
   * Deadline for one card command; past it the card counts as unavailable. Longer than the wait
   * for a card to appear at the first command (the CLI waits 30 s).
   */
  readonly cardDeadlineMs?: number;
  /** Deadline for one center call (the client has its own, shorter, timeouts and retries). */
  readonly centerDeadlineMs?: number;
}

class DeadlineError extends Error {
  constructor(what: string, ms: number) {
    super(`${what}: no answer within ${ms} ms`);
    this.name = 'DeadlineError';
  }
}

const INTENT_NAME: Readonly<Record<Exclude<BookingIntent['type'], 'cancel'>, string>> = {
  consent: 'consent',
  'choose-kind': 'choosing the password',
  'submit-card-front': 'card front',
  'submit-other-password': 'other password',
  'face-check': 'face check',
};

export class BookingSession {
  #state: BookingState = INITIAL_STATE;
  #op = 0;
  readonly #listeners = new Set<(s: BookingState) => void>();
  readonly #cardDeadlineMs: number;
  readonly #centerDeadlineMs: number;

  constructor(
    private readonly card: BookingCard,
    private readonly center: BookingCenter,
    opts: BookingSessionOptions = {},
  ) {
    this.#cardDeadlineMs = opts.cardDeadlineMs ?? 60_000;
    this.#centerDeadlineMs = opts.centerDeadlineMs ?? 30_000;
  }

  /** The flow state (holds no password in any printable form). */
  get state(): BookingState {
    return this.#state;
  }

  /** Called with every state the session settles in (not the `working` ones between). Returns an unsubscribe function. */
  onChange(listener: (s: BookingState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  consent(agree: boolean): BookingState {
    return this.#intentNow({ type: 'consent', agree });
  }

  chooseKind(kind: ResetKind): BookingState {
    return this.#intentNow({ type: 'choose-kind', kind });
  }

  /** Reads the card and checks the card front against it; then asks for the other password. */
  submitCardFront(front: CardFront): Promise<BookingState> {
    return this.#intent({ type: 'submit-card-front', front });
  }

  /** VERIFY of the other password on the card; a wrong value costs a try there. */
  submitOtherPassword(value: string): Promise<BookingState> {
    return this.#intent({ type: 'submit-other-password', value: new Secret(value) });
  }

  /** The face match against the chip photo, as the trainer decides it (署名用 only). */
  submitFaceCheck(passed: boolean): Promise<BookingState> {
    return this.#intent({ type: 'face-check', passed });
  }

  /** Ends the session (any step but a final one); an answer still on its way is dropped. */
  cancel(): BookingState {
    if (isFinal(this.#state)) throw new BookingFlowError('WRONG_STEP', `the session already ended (${this.#state.step})`);
    return this.#intentNow({ type: 'cancel' });
  }

  // -------------------------------------------------------------------------------------------

  /** An intent answered at once (these start no work; any effect would still be run). */
  #intentNow(intent: BookingIntent): BookingState {
    const effects = this.#accept(intent);
    if (effects.length > 0) void this.#drive(effects);
    return this.#state;
  }

  async #intent(intent: BookingIntent): Promise<BookingState> {
    await this.#drive(this.#accept(intent));
    return this.#state;
  }

  /** Runs effects and feeds their answers back, until a step starts none. */
  async #drive(first: readonly BookingEffect[]): Promise<void> {
    let effects = first;
    while (effects.length > 0) {
      const events = await Promise.all(effects.map((e) => this.#run(e)));
      effects = events.flatMap((ev) => this.#dispatch(ev) ?? []);
    }
  }

  /** Applies an intent, or says why it does not fit. Returns the effects to run. */
  #accept(intent: BookingIntent): readonly BookingEffect[] {
    const effects = this.#dispatch({ type: 'intent', intent });
    if (effects !== null) return effects;
    const what = intent.type === 'cancel' ? 'cancel' : INTENT_NAME[intent.type];
    if (this.#state.step === 'working') throw new BookingFlowError('BUSY', `${what}: the previous step is still running`);
    throw new BookingFlowError('WRONG_STEP', `${what} is not possible at the ${this.#state.step} step`);
  }

  /** One transition; null when the event does not apply (an answer for an abandoned step). */
  #dispatch(event: BookingEvent): readonly BookingEffect[] | null {
    const next = step(this.#state, event, { op: ++this.#op });
    if (next === null) return null;
    this.#state = next.state;
    if (next.state.step !== 'working') for (const l of this.#listeners) l(next.state);
    return next.effects;
  }

  /** Runs one effect against its port and returns the answer as the event the flow expects. */
  async #run(e: BookingEffect): Promise<BookingEvent> {
    const { op } = e;
    switch (e.type) {
      case 'identify-card':
        return { type: 'card-identified', op, answer: await this.#card('identify', () => this.card.identify()) };
      case 'check-card-front':
        return { type: 'card-front-checked', op, answer: await this.#card('card front', () => this.card.checkCardFront(e.front)) };
      case 'read-tries-left':
        return { type: 'tries-left-read', op, answer: await this.#card('tries left', () => this.card.triesLeft(e.password)) };
      case 'verify-password':
        return { type: 'password-checked', op, answer: await this.#card('verify', () => this.card.verifyPassword(e.password, e.value.reveal())) };
      case 'read-card-status':
        return { type: 'card-status-read', op, answer: await this.#center('card status', () => this.center.cardStatus(e.cardId)) };
      case 'face-check':
        return { type: 'face-checked', op, answer: await this.#center('face check', () => this.center.faceCheck(e.cardId, e.passed)) };
      case 'book':
        return { type: 'booked', op, answer: await this.#center('booking', () => this.center.book(e.request)) };
    }
  }

  async #card<T>(what: string, call: () => Promise<T>): Promise<Answer<T, BookingCardFailure>> {
    try {
      return { ok: true, value: await deadline(what, this.#cardDeadlineMs, call) };
    } catch (err) {
      return { ok: false, failure: { detail: describe(err) } };
    }
  }

  async #center<T>(what: string, call: () => Promise<T>): Promise<Answer<T, CenterFailure>> {
    try {
      return { ok: true, value: await deadline(what, this.#centerDeadlineMs, call) };
    } catch (err) {
      return { ok: false, failure: centerFailure(err) };
    }
  }
}

function deadline<T>(what: string, ms: number, call: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new DeadlineError(what, ms)), ms);
    timer.unref?.();
    Promise.resolve().then(call).then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}

/** A center error as the flow tells them apart: a refusal with its reason, or no answer. */
export function centerFailure(err: unknown): CenterFailure {
  if (err instanceof CenterClientError && err.code === 'REFUSED') {
    return { refused: true, ...(err.reason !== undefined && { reason: err.reason }), ...(err.details.until !== undefined && { until: err.details.until }) };
  }
  return { refused: false, detail: describe(err) };
}

function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
