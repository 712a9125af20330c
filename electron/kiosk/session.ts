/**
 * The kiosk core at run time: holds the one session's flow state (flow.ts), runs its effects on
 * the ports (card, center, journal), keeps the inactivity countdown, records PIN-free events, and
 * pushes a snapshot to the renderer after every change. Both hosts (Electron IPC, browser
 * WebSocket) drive the same KioskCore.
 *
 * Safety, enforced here as well as in the flow (defence in depth):
 *  - the card is written only if mayReset() holds for the state that started the reset, the open
 *    card connection is the one read in this session, it is a simulator card, and its id is the one
 *    the reservation and the verified password belong to; the center's authorization is requested
 *    for that card in this very step;
 *  - a real card is never sent VERIFY, GET CHALLENGE, EXTERNAL AUTHENTICATE or RESET RETRY COUNTER;
 *  - the reset protocol itself (challenge, receipt, authorize, journal, write, confirm or release)
 *    is reset.ts's; the session only says whether the card may still be written;
 *  - a removed card drops the connection at once, so a card placed again starts from scratch.
 */
import { checkIntent, type Intent, type ReaderStatus, type SendResult, type Snapshot } from '../contract/kiosk';
import { ContractError } from '../contract/schema';
import { checkSettingsPatch, type SettingsPatch, type SettingsResult, type SettingsView } from '../contract/trainer';
import type { ResetKind } from '../domain/passwords';
import {
  canCancel,
  canGoBack,
  holdsCard,
  INITIAL_STATE,
  journeyStep,
  mayReset,
  screenOf,
  step,
  timeoutKind,
  type CardFailure,
  type Effect,
  type FlowEvent,
  type FlowState,
  type ResetOutcome,
} from './flow';
import { settleJournal, type SettleReport } from './journal';
import { checkWithReceipt, runReset, type ResetPorts } from './reset';
import {
  cardFailure,
  type CardInfo,
  type CardReader,
  type CardSession,
  type EventSink,
  type KioskEvent,
  type ReservationCenter,

  type ResetJournal,
  type Scheduler,
} from './ports';
import { SettingsClock, type SettingsStore } from './settings';

export interface KioskCoreDeps {
  readonly reader: CardReader;
  readonly center: ReservationCenter;
  readonly journal: ResetJournal;
  readonly events: EventSink;
  readonly settings: SettingsStore;
  readonly scheduler: Scheduler;
  /** Real wall-clock time (the simulated clock is derived from it and the settings). */
  readonly realNow?: () => number;
  readonly newSessionId?: () => string;
  /** Deadline for one card or center call; past it the call counts as failed. */
  readonly operationTimeoutMs?: number;
}


class DeadlineError extends Error {
  constructor() {
    super('operation deadline passed');
    this.name = 'DeadlineError';
  }
}

interface OpenCard {
  readonly session: CardSession;
  info: CardInfo | null;
}

export class KioskCore {
  readonly #d: KioskCoreDeps;
  readonly #clock: SettingsClock;
  readonly #realNow: () => number;
  readonly #opTimeoutMs: number;
  readonly #listeners = new Set<(s: Snapshot) => void>();
  readonly #unsubscribe: (() => void)[] = [];

  #flow: FlowState = INITIAL_STATE;
  #language: Snapshot['language'];
  #sessionId: string | null = null;
  #seq = 0;
  #op = 0;
  #reader: ReaderStatus;
  #card: OpenCard | null = null;
  /** Monotonic ms when the current screen times out; null when no countdown runs. */
  #deadline: number | null = null;
  #cancelTick: (() => void) | null = null;
  #settling: Promise<SettleReport> | null = null;
  #stopped = false;

  constructor(deps: KioskCoreDeps) {
    this.#d = deps;
    this.#realNow = deps.realNow ?? Date.now;
    this.#clock = new SettingsClock(deps.settings, this.#realNow);
    this.#opTimeoutMs = deps.operationTimeoutMs ?? 20_000;
    this.#language = deps.settings.get().language;
    this.#reader = deps.reader.status();
  }

  /** Subscribes to the reader and settles journal entries left by a previous run. */
  async start(): Promise<SettleReport> {
    this.#unsubscribe.push(this.#d.reader.onStatus((s) => this.#onReaderStatus(s)));
    this.#reader = this.#d.reader.status();
    this.#emit();
    return this.settle();
  }

  stop(): void {
    this.#stopped = true;
    for (const u of this.#unsubscribe.splice(0)) u();
    this.#cancelTick?.();
    this.#cancelTick = null;
    this.#dropCard();
    this.#listeners.clear();
  }

  /** Confirms unsettled journal entries with the center (one run at a time). */
  settle(): Promise<SettleReport> {
    if (this.#settling !== null) return this.#settling;
    const run = settleJournal(this.#d.journal, this.#d.center).finally(() => {
      this.#settling = null;
    });
    this.#settling = run;
    return run;
  }

  // -------------------------------------------------------------------------------------------
  // The API the transports expose

  snapshot(): Snapshot {
    const settings = this.#d.settings.get();
    let timeout: Snapshot['timeout'] = null;
    if (this.#deadline !== null) {
      const secondsLeft = Math.max(0, Math.ceil((this.#deadline - this.#d.scheduler.monotonicMs()) / 1000));
      timeout = { secondsLeft, warning: secondsLeft <= settings.timeouts.warningSeconds };
    }
    return {
      seq: this.#seq,
      sessionId: this.#sessionId,
      screen: screenOf(this.#flow, settings),
      language: this.#language,
      chain: settings.chain,
      reader: this.#reader,
      clock: this.#clock.describe(),
      timeout,
      canCancel: canCancel(this.#flow),
      canGoBack: canGoBack(this.#flow),
      journey: journeyStep(this.#flow),
    };
  }

  /** Takes one intent from a transport. Validates it again: the core trusts no transport. */
  send(raw: unknown): SendResult {
    const checked = checkIntent(raw);
    if (!checked.ok) return { accepted: false, reason: 'invalid-intent' };
    const intent: Intent = checked.value;
    if (this.#stopped) return { accepted: false, reason: 'not-now' };
    switch (intent.type) {
      case 'set-language':
        this.#record('intent', { action: intent.type, outcome: intent.language });
        this.#language = intent.language;
        this.#restartTimer();
        this.#emit();
        return { accepted: true };
      case 'continue':
      case 'input-activity':
        if (this.#deadline === null) {
          this.#record('intent', { action: intent.type, outcome: 'not-now' });
          return { accepted: false, reason: 'not-now' };
        }
        // Key presses are not recorded one by one: only that the countdown was renewed by 続ける.
        if (intent.type === 'continue') this.#record('intent', { action: intent.type });
        this.#restartTimer();
        this.#emit();
        return { accepted: true };
      default:
        if (this.#dispatch({ type: 'intent', intent }, intent.type)) return { accepted: true };
        // Refused touches matter for usability (a tap on a disabled tile, a double tap).
        this.#record('intent', { action: intent.type, outcome: 'not-now' });
        return { accepted: false, reason: 'not-now' };
    }
  }

  /**
   * A classroom trainer sends the kiosk back to the top menu: the session ends as a timeout ends
   * it (a card being written is never cut off; the take-card screen still asks for the card).
   * Returns whether anything changed.
   */
  interrupt(): boolean {
    if (this.#stopped) return false;
    this.#record('outcome', { outcome: 'trainer-reset' });
    return this.#dispatch({ type: 'timeout' });
  }

  onSnapshot(listener: (s: Snapshot) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  getSettings(): SettingsView {
    return this.#d.settings.view();
  }

  updateSettings(raw: unknown): SettingsResult {
    const checked = checkSettingsPatch(raw);
    if (!checked.ok) throw new ContractError('settings patch', checked.problems);
    const patch: SettingsPatch = checked.value;
    const r = this.#d.settings.update(patch);
    if (r.ok && patch.language !== undefined && this.#sessionId === null) this.#language = patch.language;
    this.#emit();
    return r;
  }

  /** The flow state, for tests and diagnostics (holds no password in any printable form). */
  get state(): FlowState {
    return this.#flow;
  }

  // -------------------------------------------------------------------------------------------
  // Transitions

  /** `intentType`: the accepted intent to record, after the session it may start and before the screen it leads to. */
  #dispatch(event: FlowEvent, intentType?: Intent['type']): boolean {
    const settings = this.#d.settings.get();
    const ctx = { now: this.#clock.now(), chain: settings.chain, maintenance: settings.maintenance, reader: this.#reader, op: ++this.#op };
    const next = step(this.#flow, event, ctx);
    if (next === null) return false;
    const prev = this.#flow;
    const prevScreen = JSON.stringify(screenOf(prev, settings));
    this.#flow = next.state;

    if (prev.tag === 'top' && next.state.tag !== 'top') this.#beginSession();
    if (intentType !== undefined) this.#record('intent', { action: intentType }, screenOf(prev, settings).id);
    const screen = screenOf(next.state, settings);
    const screenChanged = JSON.stringify(screen) !== prevScreen;
    if (screenChanged) this.#record('screen', { outcome: screenOutcome(screen) });
    if (!holdsCard(next.state)) this.#dropCard();
    if (prev.tag !== next.state.tag || screenChanged || event.type === 'intent') this.#restartTimer();
    if (next.state.tag === 'top' && prev.tag !== 'top') this.#endSession(prev);

    for (const e of next.effects) void this.#run(e);
    this.#emit();
    return true;
  }

  #beginSession(): void {
    this.#sessionId = this.#d.newSessionId?.() ?? globalThis.crypto.randomUUID();
    this.#record('session-start', {}, 'top');
    // A confirm that failed earlier (center down) is retried between citizens.
    void this.settle().catch(() => undefined);
  }

  #endSession(last: FlowState): void {
    this.#record('session-end', { outcome: last.tag });
    this.#sessionId = null;
    this.#language = this.#d.settings.get().language;
  }

  #onReaderStatus(s: ReaderStatus): void {
    if (this.#stopped) return;
    const was = this.#reader.state;
    this.#reader = s;
    if (was !== 'card-present' && s.state === 'card-present') {
      this.#record('outcome', { outcome: 'card-placed' });
      this.#dispatch({ type: 'card-placed' });
    } else if (was === 'card-present' && s.state !== 'card-present') {
      // The connection belongs to the card that left: drop it before anything else can use it.
      this.#dropCard();
      this.#record('outcome', { outcome: s.state === 'empty' ? 'card-removed' : 'reader-lost' });
      this.#dispatch({ type: s.state === 'empty' ? 'card-removed' : 'reader-lost' });
    }
    this.#emit();
  }

  // -------------------------------------------------------------------------------------------
  // Inactivity countdown (real time, not the simulated clock)

  #restartTimer(): void {
    this.#cancelTick?.();
    this.#cancelTick = null;
    const kind = timeoutKind(this.#flow);
    if (kind === 'none') {
      this.#deadline = null;
      return;
    }
    const t = this.#d.settings.get().timeouts;
    const seconds = kind === 'take-card' ? t.takeCardSeconds : t.inactivitySeconds;
    this.#deadline = this.#d.scheduler.monotonicMs() + seconds * 1000;
    this.#scheduleTick();
  }

  #scheduleTick(): void {
    if (this.#deadline === null) return;
    const remaining = this.#deadline - this.#d.scheduler.monotonicMs();
    // Wake on each whole second left, so the countdown the renderer shows steps once a second.
    const wait = remaining <= 0 ? 0 : remaining % 1000 || 1000;
    this.#cancelTick = this.#d.scheduler.after(wait, () => this.#tick());
  }

  #tick(): void {
    this.#cancelTick = null;
    if (this.#deadline === null || this.#stopped) return;
    if (this.#d.scheduler.monotonicMs() >= this.#deadline) {
      this.#deadline = null;
      this.#record('outcome', { outcome: 'timeout' });
      if (!this.#dispatch({ type: 'timeout' })) this.#emit();
      return;
    }
    this.#emit();
    this.#scheduleTick();
  }

  // -------------------------------------------------------------------------------------------
  // Effects

  async #run(effect: Effect): Promise<void> {
    switch (effect.type) {
      case 'read-card': {
        const result = await this.#readCard();
        this.#record('outcome', { outcome: result.ok ? 'card-read' : `card-read:${result.failure}` });
        this.#dispatch({ type: 'card-read', op: effect.op, result });
        break;
      }
      case 'check-reservation': {
        let result: Extract<FlowEvent, { type: 'reservation-checked' }>['result'];
        try {
          // The card's receipt settles an earlier try that was interrupted (here, from the journal;
          // anywhere, at the center) before the citizen is asked for anything.
          const ports = this.#resetPorts(effect.cardId);
          const req = { cardId: effect.cardId, kind: effect.kind };
          result = typeof ports === 'string' ? await this.#deadlined(this.#d.center.check(req)) : await checkWithReceipt(ports, req);
        } catch {
          result = { status: 'unavailable' };
        }
        const code = result.status === 'refused' ? `${result.refusal}${result.resetOnCard === true ? ':reset-on-card' : ''}` : result.status;
        this.#record('outcome', { outcome: `reservation:${code}` });
        this.#dispatch({ type: 'reservation-checked', op: effect.op, result });
        break;
      }
      case 'verify-password': {
        const result = await this.#verify(effect.cardId, effect.password, effect.value.reveal());
        this.#record('outcome', { outcome: `verify:${result.result === 'failed' ? result.failure : result.result}` });
        this.#dispatch({ type: 'password-verified', op: effect.op, result });
        break;
      }
      case 'reset-card': {
        const outcome = await this.#reset(effect);
        this.#record('outcome', { outcome: `reset:${outcome.result}${'cause' in outcome ? `:${outcome.cause}` : outcome.confirmed ? '' : ':confirm-pending'}` });
        this.#dispatch({ type: 'reset-finished', op: effect.op, outcome });
        break;
      }
    }
    if (!holdsCard(this.#flow)) this.#dropCard();
  }

  async #readCard(): Promise<{ ok: true; info: CardInfo } | { ok: false; failure: CardFailure }> {
    try {
      if (this.#card === null) {
        const session = await this.#deadlined(this.#d.reader.open());
        this.#card = { session, info: null };
      }
      const card = this.#card;
      const info = await this.#deadlined(card.session.readCardInfo());
      card.info = info;
      return { ok: true, info };
    } catch (err) {
      return { ok: false, failure: err instanceof DeadlineError ? 'card-error' : cardFailure(err) };
    }
  }

  /** The open card, if it is the simulator card with `cardId` read in this session. */
  #simulatorCard(cardId: string): OpenCard | CardFailure {
    const card = this.#card;
    if (card === null || card.info === null) return 'card-removed';
    if (!card.info.isSimulatorCard) return 'real-card';
    if (card.info.cardId !== cardId) return 'card-error';
    return card;
  }

  async #verify(
    cardId: string,
    password: ResetKind,
    value: string,
  ): Promise<Extract<FlowEvent, { type: 'password-verified' }>['result']> {
    const card = this.#simulatorCard(cardId);
    if (typeof card === 'string') return { result: 'failed', failure: card };
    try {
      return await this.#deadlined(card.session.verify(password, value));
    } catch (err) {
      return { result: 'failed', failure: cardFailure(err) };
    }
  }

  /** The open simulator card read in this session, as the reset protocol needs it. */
  #resetPorts(cardId: string): ResetPorts | CardFailure {
    const card = this.#simulatorCard(cardId);
    if (typeof card === 'string') return card;
    return { card: card.session, center: this.#d.center, journal: this.#d.journal, deadline: (p) => this.#deadlined(p) };
  }

  /** The reset (docs/reset-protocol.md), run by reset.ts; this checks what only the session knows. */
  async #reset(e: Extract<Effect, { type: 'reset-card' }>): Promise<ResetOutcome> {
    const { kind, reservation } = e;
    const cardId = reservation.cardId;
    const card = this.#simulatorCard(cardId);
    if (typeof card === 'string') return { result: 'not-reset', cause: card };
    // The evidence travels with the state: verified other password + reservation, for THIS card.
    if (!mayReset(this.#flow, cardId, kind) || e.verified.cardId !== cardId) return { result: 'not-reset', cause: 'card-error' };
    const ports = this.#resetPorts(cardId);
    if (typeof ports === 'string') return { result: 'not-reset', cause: ports };
    return runReset(ports, {
      cardId,
      kind,
      reservationId: reservation.reservationId,
      newValue: () => e.newPassword.reveal(),
      progress: (step) => this.#progress(e.op, step),
      // Between the center and the card, the card may have left: then it must not be written.
      mayWrite: () => this.#card === card && this.#flow.tag === 'writing' && !this.#flow.cardRemoved && mayReset(this.#flow, cardId, kind),
      cardStillThere: () => this.#card === card,
    });
  }

  #progress(op: number, s: 'writing-card' | 'confirming'): void {
    this.#dispatch({ type: 'reset-progress', op, step: s });
  }

  #deadlined<T>(p: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const cancel = this.#d.scheduler.after(this.#opTimeoutMs, () => reject(new DeadlineError()));
      p.then(
        (v) => {
          cancel();
          resolve(v);
        },
        (err: unknown) => {
          cancel();
          reject(err);
        },
      );
    });
  }

  #dropCard(): void {
    const card = this.#card;
    if (card === null) return;
    this.#card = null;
    void card.session.close().catch(() => undefined);
  }

  // -------------------------------------------------------------------------------------------
  // Output

  #emit(): void {
    if (this.#stopped) return;
    this.#seq++;
    const s = this.snapshot();
    for (const l of this.#listeners) {
      try {
        l(s);
      } catch {
        // One broken subscriber must not stop the others or the core.
      }
    }
  }

  #record(type: KioskEvent['type'], extra: { action?: string; outcome?: string }, screen?: KioskEvent['screen']): void {
    try {
      this.#d.events.record({
        t: this.#realNow(),
        sim: this.#clock.now(),
        sessionId: this.#sessionId,
        type,
        screen: screen ?? screenOf(this.#flow, this.#d.settings.get()).id,
        ...extra,
      });
    } catch {
      // The record is for later analysis; a full disk must not stop a citizen's reset.
    }
  }
}

/** A short code for what a screen shows, for the record. */
function screenOutcome(screen: Snapshot['screen']): string | undefined {
  switch (screen.id) {
    case 'guidance':
      return `${screen.reason}${screen.changed ? `:${screen.changed}` : ''}`;
    case 'progress':
      return screen.step;
    case 'other-password':
      return screen.problem ?? undefined;
    case 'new-password':
      return screen.problem ? `${screen.step}:${screen.problem}` : screen.step;
    case 'take-card':
      return screen.after;
    default:
      return undefined;
  }
}
