/**
 * Fakes for the kiosk core's ports: a card that behaves like the simulator's My Number card
 * (tries, locks, the center-authorized reset of docs/reset-protocol.md with the real MAC), a reader that
 * can lose its card at any step, a reservation center with the real reservation rules, and a
 * scheduler whose time only moves when a test says so.
 */
import type { ReaderStatus } from '../../electron/contract/kiosk';
import { isReservationExpired } from '../../electron/domain/reservation';
import { PASSWORD_RULES, type ResetKind } from '../../electron/domain/passwords';
import {
  CardError,
  CenterError,
  type CardInfo,
  type CardReader,
  type CardSession,
  type CertificateState,
  type AuthorizationRef,
  type ReservationCenter,
  type ReservationCheck,
  type ResetAuthorization,
  type Scheduler,
  type VerifyOutcome,
} from '../../electron/kiosk/ports';
import { DEV_MASTER_KEY, diversifyResetKey, resetMac, verifyResetMac } from '../../native/jpki/reset-mac';
import { encodeResetReceipt, judgeAuthorization, verifyResetReceipt } from '../../native/jpki/reset-receipt';
import crypto from 'node:crypto';

// ---------------------------------------------------------------------------------------------
// Scheduler

export class FakeScheduler implements Scheduler {
  #now = 0;
  #nextId = 0;
  readonly #timers = new Map<number, { at: number; fn: () => void }>();

  monotonicMs(): number {
    return this.#now;
  }

  after(ms: number, fn: () => void): () => void {
    const id = this.#nextId++;
    this.#timers.set(id, { at: this.#now + ms, fn });
    return () => this.#timers.delete(id);
  }

  /** Moves time forward by `ms`, running due timers in order (and letting promises settle between). */
  async advance(ms: number): Promise<void> {
    const target = this.#now + ms;
    for (;;) {
      await flush();
      let next: [number, { at: number; fn: () => void }] | undefined;
      for (const t of this.#timers) if (t[1].at <= target && (next === undefined || t[1].at < next[1].at)) next = t;
      if (next === undefined) break;
      this.#timers.delete(next[0]);
      this.#now = next[1].at;
      next[1].fn();
    }
    this.#now = target;
    await flush();
  }
}

/** Lets every pending promise chain run (the fakes answer asynchronously, like real ports). */
export async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise<void>((r) => setImmediate(r));
}

// ---------------------------------------------------------------------------------------------
// Card

export interface FakeCardSpec {
  cardId?: string;
  simulator?: boolean;
  myNumber?: boolean;
  expiresAt?: number | null;
  certificates?: Partial<Record<ResetKind, CertificateState>>;
  pins?: Partial<Record<ResetKind, string>>;
  tries?: Partial<Record<ResetKind, number>>;
}

/** A card's commands as the tests see them (names, never values). */
export type CardCommand = 'read' | `verify:${ResetKind}` | 'get-challenge' | `receipt:${ResetKind}` | `external-auth:${ResetKind}` | `reset:${ResetKind}`;

export const CHANGING_COMMANDS: readonly string[] = ['verify:sign', 'verify:auth', 'external-auth:sign', 'external-auth:auth', 'reset:sign', 'reset:auth'];

export class FakeCard {
  readonly cardId: string;
  readonly simulator: boolean;
  readonly myNumber: boolean;
  readonly expiresAt: number | null;
  readonly certificates: Record<ResetKind, CertificateState>;
  readonly pins: Record<ResetKind, string>;
  readonly tries: Record<ResetKind, number>;
  readonly commands: CardCommand[] = [];
  readonly #key: Buffer;
  #challenge: Buffer | null = null;
  #authorizedFor: { kind: ResetKind; challenge: Buffer } | null = null;
  /** Persistent, like the real card's: resets done per kind and challenges given out. */
  readonly resets: Record<ResetKind, { count: number; last: string | null }> = { sign: { count: 0, last: null }, auth: { count: 0, last: null } };
  challengeSeq = 0;

  constructor(spec: FakeCardSpec = {}) {
    this.cardId = spec.cardId ?? '0A1B2C3D';
    this.simulator = spec.simulator ?? true;
    this.myNumber = spec.myNumber ?? true;
    this.expiresAt = spec.expiresAt ?? null;
    this.certificates = { sign: 'valid', auth: 'valid', ...spec.certificates };
    this.pins = { sign: 'OLD1PASS', auth: '1234', ...spec.pins };
    this.tries = { sign: PASSWORD_RULES.sign.maxTries, auth: PASSWORD_RULES.auth.maxTries, ...spec.tries };
    this.#key = diversifyResetKey(DEV_MASTER_KEY, this.cardId);
  }

  /** Power cycle: a new insertion forgets any volatile state. */
  powerCycle(): void {
    this.#challenge = null;
    this.#authorizedFor = null;
  }

  info(): CardInfo {
    this.commands.push('read');
    return {
      isMyNumberCard: this.myNumber,
      isSimulatorCard: this.simulator,
      cardId: this.myNumber ? this.cardId : null,
      cardExpiresAt: this.expiresAt,
      certificates: { ...this.certificates },
      triesLeft: { ...this.tries },
    };
  }

  verify(password: ResetKind, value: string): VerifyOutcome {
    this.commands.push(`verify:${password}`);
    if (this.tries[password] === 0) return { result: 'locked' };
    if (value === this.pins[password]) {
      this.tries[password] = PASSWORD_RULES[password].maxTries;
      return { result: 'verified' };
    }
    this.tries[password] -= 1;
    return { result: 'wrong', triesLeft: this.tries[password] };
  }

  getChallenge(): Uint8Array {
    this.commands.push('get-challenge');
    this.#challenge = crypto.randomBytes(8);
    this.#authorizedFor = null;
    this.challengeSeq++;
    return this.#challenge;
  }

  readResetReceipt(kind: ResetKind): Uint8Array {
    this.commands.push(`receipt:${kind}`);
    const current = this.#challenge === null ? null : this.#challenge.toString('hex').toUpperCase();
    return encodeResetReceipt(this.#key, kind, { resetCount: this.resets[kind].count, lastChallenge: this.resets[kind].last, currentChallenge: current, challengeSeq: this.challengeSeq });
  }

  externalAuthenticate(kind: ResetKind, mac: Uint8Array): void {
    this.commands.push(`external-auth:${kind}`);
    const challenge = this.#challenge;
    this.#challenge = null; // a challenge is good for one try
    if (challenge === null || !verifyResetMac(this.#key, kind, challenge, mac)) {
      this.#authorizedFor = null;
      throw new CardError('CARD_REFUSED', 'EXTERNAL AUTHENTICATE: 6982');
    }
    this.#authorizedFor = { kind, challenge };
  }

  resetRetryCounter(kind: ResetKind, value: string): void {
    this.commands.push(`reset:${kind}`);
    const authorized = this.#authorizedFor;
    if (authorized?.kind !== kind) throw new CardError('CARD_REFUSED', 'RESET RETRY COUNTER: 6982');
    this.#authorizedFor = null;
    this.resets[kind] = { count: this.resets[kind].count + 1, last: authorized.challenge.toString('hex').toUpperCase() };
    this.pins[kind] = value;
    this.tries[kind] = PASSWORD_RULES[kind].maxTries;
  }
}

// ---------------------------------------------------------------------------------------------
// Reader

type Op = 'open' | 'read' | 'verify' | 'get-challenge' | 'receipt' | 'external-auth' | 'reset';

export class FakeReader implements CardReader {
  #state: ReaderStatus['state'] = 'empty';
  #card: FakeCard | null = null;
  #insertion = 0;
  readonly #listeners = new Set<(s: ReaderStatus) => void>();
  /** Runs before each card operation (after the call, before the card acts): tests pull the card here. */
  beforeOp: ((op: Op) => void) | null = null;
  /** Runs after the card acted, before the answer reaches the kiosk. */
  afterOp: ((op: Op) => void) | null = null;
  /** Operations that never answer (deadline tests). */
  readonly hang = new Set<Op>();
  readonly name = 'Fake Reader 00 00';

  get card(): FakeCard | null {
    return this.#card;
  }

  status(): ReaderStatus {
    return { state: this.#state, name: this.#state === 'unavailable' || this.#state === 'no-reader' ? null : this.name };
  }

  onStatus(listener: (s: ReaderStatus) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  insert(card: FakeCard): void {
    card.powerCycle();
    this.#card = card;
    this.#insertion++;
    this.#set('card-present');
  }

  remove(): void {
    this.#card = null;
    this.#insertion++;
    this.#set('empty');
  }

  /** pcscd goes away (with the card, from the kiosk's point of view). */
  lose(): void {
    this.#card = null;
    this.#insertion++;
    this.#set('unavailable');
  }

  #set(state: ReaderStatus['state']): void {
    this.#state = state;
    const s = this.status();
    for (const l of this.#listeners) l(s);
  }

  async open(): Promise<CardSession> {
    await this.#gate('open');
    const card = this.#card;
    if (this.#state === 'unavailable') throw new CardError('READER_UNAVAILABLE', 'reader unavailable');
    if (card === null) throw new CardError('CARD_REMOVED', 'no card');
    const insertion = this.#insertion;
    const run = async <T>(op: Op, act: () => T): Promise<T> => {
      await this.#gate(op);
      if (this.#card !== card || this.#insertion !== insertion) throw new CardError('CARD_REMOVED', 'card removed');
      const v = act();
      this.afterOp?.(op);
      if (this.#card !== card || this.#insertion !== insertion) throw new CardError('CARD_REMOVED', 'card removed before the answer');
      return v;
    };
    return {
      readCardInfo: () => run('read', () => card.info()),
      verify: (password, value) => run('verify', () => card.verify(password, value)),
      getChallenge: () => run('get-challenge', () => card.getChallenge()),
      externalAuthenticate: (kind, mac) => run('external-auth', () => card.externalAuthenticate(kind, mac)),
      resetRetryCounter: (kind, value) => run('reset', () => card.resetRetryCounter(kind, value)),
      readResetReceipt: (kind) => run('receipt', () => card.readResetReceipt(kind)),
      close: async () => undefined,
    };
  }

  async #gate(op: Op): Promise<void> {
    await Promise.resolve();
    this.beforeOp?.(op);
    if (this.hang.has(op)) await new Promise<never>(() => undefined);
  }
}

// ---------------------------------------------------------------------------------------------
// Center

export interface FakeReservation {
  reservationId: string;
  cardId: string;
  kind: ResetKind;
  bookedAt: number;
  state: 'booked' | 'authorized' | 'used';
  authorizationId: string | null;
  /** The authorized challenge and the receipt facts it was given on. */
  authorized: { challenge: string; resetCount: number | null; challengeSeq: number | null } | null;
  appLocked: boolean;
}

type CenterCall = 'check' | 'authorize' | 'confirm' | 'release';

/** The center's reservation rules, the receipt rule included (judgeAuthorization, shared with the real center). */
export class FakeCenter implements ReservationCenter {
  readonly reservations: FakeReservation[] = [];
  available = true;
  /** Calls that never answer (a center that hangs, or a kiosk that "dies" waiting for it). */
  readonly hang = new Set<CenterCall>();
  readonly calls: string[] = [];
  #authorizations = 0;

  constructor(private readonly now: () => number) {}

  book(cardId: string, kind: ResetKind, bookedAt = this.now(), extra: Partial<FakeReservation> = {}): FakeReservation {
    const r: FakeReservation = {
      reservationId: `R-${this.reservations.length + 1}`,
      cardId,
      kind,
      bookedAt,
      state: 'booked',
      authorizationId: null,
      authorized: null,
      appLocked: false,
      ...extra,
    };
    this.reservations.push(r);
    return r;
  }

  #latest(cardId: string): FakeReservation | undefined {
    return this.reservations.filter((r) => r.cardId === cardId).at(-1);
  }

  async #gate(call: CenterCall): Promise<void> {
    await Promise.resolve();
    this.calls.push(call);
    if (this.hang.has(call)) await new Promise<never>(() => undefined);
    if (!this.available) throw new CenterError('CENTER_UNAVAILABLE', 'center unavailable');
  }

  /** Settles an authorized reservation from the card's receipt; returns what it proved. */
  #settle(r: FakeReservation, receipt: Uint8Array): 'used' | 'unused' | 'unknown' {
    const facts = verifyResetReceipt(diversifyResetKey(DEV_MASTER_KEY, r.cardId), r.kind, receipt);
    if (facts === null) throw new CenterError('CENTER_UNAVAILABLE', 'receipt-invalid');
    if (r.state !== 'authorized' || r.authorized === null) return 'unknown';
    const verdict = judgeAuthorization(r.authorized, facts);
    if (verdict === 'used') r.state = 'used';
    if (verdict === 'unused') Object.assign(r, { state: 'booked', authorized: null, authorizationId: null });
    return verdict;
  }

  async check(req: { cardId: string; kind: ResetKind; receipt?: Uint8Array }): Promise<ReservationCheck> {
    await this.#gate('check');
    const r = this.#latest(req.cardId);
    if (r?.appLocked) return { status: 'refused', refusal: 'app-locked' };
    if (r === undefined || r.kind !== req.kind) return { status: 'refused', refusal: 'no-reservation' };
    const lastBefore = r.authorized?.challenge;
    if (req.receipt !== undefined) this.#settle(r, req.receipt);
    if (r.state !== 'booked') {
      const facts = req.receipt === undefined ? null : verifyResetReceipt(diversifyResetKey(DEV_MASTER_KEY, r.cardId), r.kind, req.receipt);
      const onCard = r.state === 'used' && facts !== null && facts.lastChallenge !== null && facts.lastChallenge === (r.authorized?.challenge ?? lastBefore);
      return onCard ? { status: 'refused', refusal: 'reservation-used', resetOnCard: true } : { status: 'refused', refusal: 'reservation-used' };
    }
    if (isReservationExpired(r.bookedAt, this.now())) return { status: 'refused', refusal: 'reservation-expired' };
    return { status: 'usable', reservationId: r.reservationId };
  }

  async authorize(req: { cardId: string; kind: ResetKind; reservationId: string; challenge: Uint8Array; receipt: Uint8Array }): Promise<ResetAuthorization> {
    await this.#gate('authorize');
    const r = this.reservations.find((x) => x.reservationId === req.reservationId);
    if (r === undefined || r.cardId !== req.cardId || r.kind !== req.kind) throw new CenterError('CENTER_REFUSED', 'no such reservation', 'no-reservation');
    const facts = verifyResetReceipt(diversifyResetKey(DEV_MASTER_KEY, r.cardId), r.kind, req.receipt);
    const challenge = Buffer.from(req.challenge).toString('hex').toUpperCase();
    if (facts === null || facts.currentChallenge !== challenge) throw new CenterError('CENTER_UNAVAILABLE', 'receipt-invalid');
    if (r.state === 'authorized' && this.#settle(r, req.receipt) !== 'unused') throw new CenterError('CENTER_REFUSED', 'reservation already used', 'reservation-used');
    if (r.state !== 'booked') throw new CenterError('CENTER_REFUSED', 'reservation already used', 'reservation-used');
    if (isReservationExpired(r.bookedAt, this.now())) throw new CenterError('CENTER_REFUSED', 'reservation expired', 'reservation-expired');
    r.state = 'authorized';
    r.authorizationId = `A-${r.reservationId}-${++this.#authorizations}`;
    r.authorized = { challenge, resetCount: facts.resetCount, challengeSeq: facts.challengeSeq };
    const mac = resetMac(diversifyResetKey(DEV_MASTER_KEY, req.cardId), req.kind, req.challenge);
    return { authorizationId: r.authorizationId, mac };
  }

  async confirm(req: AuthorizationRef): Promise<void> {
    await this.#gate('confirm');
    const r = this.reservations.find((x) => x.reservationId === req.reservationId);
    if (r?.state === 'used') throw new CenterError('CENTER_REFUSED', 'already confirmed', 'already-confirmed');
    if (r === undefined || r.authorizationId !== req.authorizationId) throw new CenterError('CENTER_REFUSED', 'unknown authorization', 'no-reservation');
    r.state = 'used';
  }

  async release(req: AuthorizationRef): Promise<void> {
    await this.#gate('release');
    const r = this.reservations.find((x) => x.reservationId === req.reservationId);
    if (r?.state === 'used') throw new CenterError('CENTER_REFUSED', 'already used', 'already-confirmed');
    if (r !== undefined && r.state === 'authorized' && r.authorizationId === req.authorizationId) {
      Object.assign(r, { state: 'booked', authorized: null, authorizationId: null });
    }
  }
}
