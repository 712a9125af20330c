/**
 * The PC/SC reader service: the one place in the app that talks to pcscd (through the `pcsclite`
 * binding). Main-process / plain-Node code only.
 *
 *   const svc = new PcscReaderService({ reader: { name: 'Virtual PCD 00 00' } });
 *   svc.on('state', (s) => …);                 // ReaderState of the selected reader
 *   svc.on('card-inserted', ({ reader, atr }) => …);
 *   const ch = await svc.connect();            // ReaderChannel
 *   const res = await ch.send({ cla: 0, ins: 0xa4, p1: 4, p2: 0x0c, data: JPKI_AID });
 *   await ch.disconnect();
 *   await svc.close();
 *
 * - Never throws from its constructor. pcscd absent = state `pcscd-unavailable`; the service tries
 *   again on a timer (doubling from `retryInitialMs` to `retryMaxMs`) and comes back by itself.
 * - When pcscd dies (the binding reports an error), the context is closed and created anew;
 *   readers and cards reappear as pcscd lists them again. A reader unplugged and plugged back is
 *   picked up by pcscd's hot-plug notification.
 * - Every failure is a PcscError with a code (errors.ts). A command whose card is removed under it
 *   fails with CARD_REMOVED (vpcd's ambiguous "not transacted" or empty answer is held until pcscd
 *   says whether the card is gone, at most `settleMs`).
 * - Events: 'state' (the selected reader's ReaderState, on change), 'reader-added',
 *   'reader-removed', 'card-inserted' ({ reader, atr, mute }), 'card-removed' ({ reader }), for
 *   every reader. Readers and cards already there when the service (or pcscd) starts are reported
 *   added and inserted; when pcscd goes away, its readers are reported removed (cards first).
 * - The real-card guard: `state` (`reader`, `atr`) and a channel's `reader` and `atr` are what the
 *   caller checks before sending anything that changes a card.
 */
import { EventEmitter } from 'node:events';
import { APDU_HEADER_LENGTH, encodeCommand, parseResponse, type CommandApdu, type ResponseApdu } from '../apdu/apdu';
import { describeSw } from '../apdu/status';
import {
  loadPcscBinding,
  MAX_RESPONSE_LENGTH,
  parseReaderNames,
  SCARD,
  type NativeCallback,
  type NativeContext,
  type NativeReader,
  type PcscBinding,
} from './binding';
import { fromNativeError, isAmbiguousTransmitFailure, isPcscError, PcscError, scardCodeOf, type PcscErrorCode } from './errors';
import {
  DEFAULT_READER_NAME,
  describeSelector,
  eventCount,
  presenceFromFlags,
  readerState,
  retryDelay,
  sameState,
  selectReader,
  type CardPresence,
  type Protocol,
  type ReaderInfo,
  type ReaderSelector,
  type ReaderState,
  type ShareMode,
} from './reader-state';

export type Disposition = 'leave' | 'reset' | 'unpower';

export interface TransmitOptions {
  /** Time limit for this command (default: the service's `transmitTimeoutMs`). */
  readonly timeoutMs?: number;
}

/** A connection to the card in one reader. Commands run one at a time, in call order. */
export interface ReaderChannel {
  readonly reader: string;
  /** The ATR pcscd reported when we connected. */
  readonly atr: Buffer;
  readonly protocol: Protocol;
  readonly shareMode: ShareMode;
  /** Undefined while open; why it closed once it has. */
  readonly closedReason: PcscError | undefined;
  /** Sends raw command bytes (short or extended APDU) and returns data and status word. */
  transmit(apdu: Uint8Array, opts?: TransmitOptions): Promise<ResponseApdu>;
  /**
   * The same, answering the raw response (data ‖ SW1 SW2, at least 2 bytes): what a byte-level
   * channel such as electron/jpki's ReaderChannel wants (`{ transmit: (a) => ch.transmitBytes(a) }`).
   */
  transmitBytes(apdu: Uint8Array, opts?: TransmitOptions): Promise<Buffer>;
  /** Encodes `command` (native/apdu; extended form when its lengths need it) and sends it. */
  send(command: CommandApdu, opts?: TransmitOptions & { readonly extended?: boolean }): Promise<ResponseApdu>;
  /** Waits for the command in flight, then releases the card. Default disposition: unpower. */
  disconnect(disposition?: Disposition): Promise<void>;
}

export interface ConnectOptions {
  /** Default: the service's reader. */
  readonly reader?: ReaderSelector;
  /** Default 'exclusive': no other application can talk to the card meanwhile. */
  readonly shareMode?: ShareMode;
  readonly timeoutMs?: number;
}

export interface ReaderServiceOptions {
  /** The reader this service watches (`state`) and connects to. Default "Virtual PCD 00 00". */
  readonly reader?: ReaderSelector;
  /**
   * `all` (default): watch every reader pcscd lists (readers() reports them all). `selected`: only
   * the readers the selector matches. Each watched reader holds a pcscd context with its own
   * thread, and pcscd serves at most 200: sixteen classroom stations each watching sixteen readers
   * would exhaust it, so a station watches its own.
   */
  readonly watch?: 'all' | 'selected';
  readonly retryInitialMs?: number;
  readonly retryMaxMs?: number;
  readonly transmitTimeoutMs?: number;
  readonly connectTimeoutMs?: number;
  /** How long a command failure may wait for pcscd to report a removed card. */
  readonly settleMs?: number;
  /** For tests: a stand-in for pcsclite's binding. */
  readonly loadBinding?: () => PcscBinding;
}

export interface ReaderServiceEvents {
  state: [state: ReaderState];
  'reader-added': [reader: string];
  'reader-removed': [reader: string];
  'card-inserted': [event: { readonly reader: string; readonly atr: Buffer; readonly mute: boolean }];
  'card-removed': [event: { readonly reader: string }];
}

/** Thrown by `requireSw` when a card answers with a status word the caller did not expect. */
export class CardStatusError extends Error {
  constructor(
    readonly sw: number,
    readonly command: string,
  ) {
    super(`${command}: card answered ${describeSw(sw)}`);
    this.name = 'CardStatusError';
  }
}

/** Returns `res` when its status word is one of `expected` (default 9000), else throws CardStatusError. */
export function requireSw(res: ResponseApdu, what: string, ...expected: number[]): ResponseApdu {
  const ok = expected.length === 0 ? [0x9000] : expected;
  if (!ok.includes(res.sw)) throw new CardStatusError(res.sw, what);
  return res;
}

/** Transmit failures after which the handle is of no more use. */
const FATAL_TO_CHANNEL = new Set<PcscErrorCode>(['CARD_REMOVED', 'CARD_RESET', 'READER_REMOVED', 'PCSCD_NOT_RUNNING', 'CHANNEL_CLOSED']);

const DISPOSITION: Record<Disposition, number> = {
  leave: SCARD.LEAVE_CARD,
  reset: SCARD.RESET_CARD,
  unpower: SCARD.UNPOWER_CARD,
};

/** The longest command pcsc-lite carries: CLA INS P1 P2, 3-byte Lc, 65535 data bytes, 2-byte Le. */
const MAX_COMMAND_LENGTH = APDU_HEADER_LENGTH + 3 + 65535 + 2;

/**
 * Native objects stay referenced for a while after they are closed: a closed binding object may
 * still receive one last callback from its (joined) thread on the next loop turns.
 */
const retained = new Set<object>();
function retainBriefly(obj: object): void {
  retained.add(obj);
  setTimeout(() => retained.delete(obj), 2000).unref();
}

/**
 * Closes a binding object on the next loop turn: never from inside one of its own callbacks,
 * where the binding holds the mutex close() takes (it would wait for itself).
 */
function closeLater(obj: { close(): number }, then?: () => void): void {
  retained.add(obj);
  setImmediate(() => {
    try {
      obj.close();
    } catch {
      /* already ended */
    }
    retained.delete(obj);
    retainBriefly(obj);
    then?.();
  });
}

/** What a channel needs from its service (kept off the service's public surface). */
interface ServiceOps {
  call<T>(entry: Entry, op: (cb: NativeCallback<[T?]>) => void, timeoutMs: number): Promise<T | undefined>;
  releaseHandle(entry: Entry, disposition: number): Promise<void>;
  lostReason(entry: Entry): PcscError | undefined;
  update(): void;
  readonly settleMs: number;
  readonly transmitTimeoutMs: number;
}

interface Generation {
  readonly binding: PcscBinding;
  readonly ctx: NativeContext;
  readonly readers: Map<string, Entry>;
  listed: boolean;
  ready: boolean;
}

interface Entry {
  readonly name: string;
  /** Watches the reader (status thread); never connects. */
  readonly watcher: NativeReader;
  /**
   * Connects and transmits; made on first connect, its own status thread closed at once. Two
   * objects because the binding delivers status events on the main thread while holding the
   * reader object's mutex, which a command in flight also holds: with one object, a status event
   * during a command to a card served by this very process (a test or benchmark card) would block
   * the main thread that must answer the command.
   */
  io: Promise<NativeReader> | undefined;
  readonly gen: Generation;
  card: CardPresence | undefined;
  events: number | undefined;
  channel: Channel | undefined;
  connecting: boolean;
  /** A card handle may be open in the native reader (connected and not yet disconnected). */
  handle: boolean;
  /** Native calls in flight; the reader must not be closed or re-used meanwhile. */
  inflight: number;
  idleWaiters: Array<() => void>;
  pendingDisconnect: Promise<void> | undefined;
  retired: boolean;
}

export class PcscReaderService extends EventEmitter<ReaderServiceEvents> {
  readonly selector: ReaderSelector;
  private readonly opts: Required<Omit<ReaderServiceOptions, 'reader' | 'loadBinding' | 'watch'>>;
  private readonly watchAll: boolean;
  private readonly loadBinding: () => PcscBinding;
  private gen: Generation | undefined;
  private unavailable: { readonly detail: string; readonly library: boolean } | undefined;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private lastState: ReaderState = { status: 'starting' };
  private readonly ops: ServiceOps;

  constructor(options: ReaderServiceOptions = {}) {
    super();
    this.selector = options.reader ?? { name: DEFAULT_READER_NAME };
    this.watchAll = options.watch !== 'selected';
    this.opts = {
      retryInitialMs: options.retryInitialMs ?? 100,
      retryMaxMs: options.retryMaxMs ?? 2000,
      transmitTimeoutMs: options.transmitTimeoutMs ?? 10_000,
      connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
      settleMs: options.settleMs ?? 1500,
    };
    this.ops = {
      call: (entry, op, timeoutMs) => this.call(entry, op, timeoutMs),
      releaseHandle: (entry, disposition) => this.releaseHandle(entry, disposition),
      lostReason: (entry) => this.lostReason(entry),
      update: () => this.update(),
      settleMs: this.opts.settleMs,
      transmitTimeoutMs: this.opts.transmitTimeoutMs,
    };
    this.loadBinding = options.loadBinding ?? loadPcscBinding;
    this.openContext();
  }

  /** The selected reader's state, as of now. */
  get state(): ReaderState {
    if (this.closed) return { status: 'closed' };
    const gen = this.gen;
    if (!gen?.ready) {
      return this.unavailable ? { status: 'pcscd-unavailable', detail: this.unavailable.detail } : { status: 'starting' };
    }
    const entry = selectReader(this.selector, this.known(gen));
    return readerState(this.selector, entry && { ...this.info(entry), channel: entry.channel });
  }

  /** Every reader pcscd lists (with what we know of its card), as of now; empty if pcscd is down. */
  readers(): ReaderInfo[] {
    return this.gen?.ready ? this.known(this.gen).map((e) => this.info(e)) : [];
  }

  /** Resolves once the service knows whether pcscd answers (and if so, its readers and cards). */
  async ready(): Promise<void> {
    await this.waitForState((s) => s.status !== 'starting');
  }

  /** The readers pcscd lists. Rejects with PCSCD_NOT_RUNNING while pcscd is unavailable. */
  async listReaders(): Promise<ReaderInfo[]> {
    await this.ready();
    this.requireGeneration();
    return this.readers();
  }

  /**
   * Resolves with the selected reader's state once `pred` holds (at once if it already does).
   * Rejects with TIMEOUT after `timeoutMs` (default: no limit) and SERVICE_CLOSED on close().
   */
  waitForState(pred: (s: ReaderState) => boolean, opts: { timeoutMs?: number } = {}): Promise<ReaderState> {
    const now = this.state;
    if (pred(now)) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const onState = (s: ReaderState) => {
        if (pred(s)) {
          done();
          resolve(s);
        } else if (s.status === 'closed') {
          done();
          reject(new PcscError('SERVICE_CLOSED', 'the reader service was closed'));
        }
      };
      const done = () => {
        clearTimeout(timer);
        this.off('state', onState);
      };
      this.on('state', onState);
      if (opts.timeoutMs !== undefined) {
        timer = setTimeout(() => {
          done();
          const s = this.state;
          reject(new PcscError('TIMEOUT', `reader state still ${s.status} after ${opts.timeoutMs} ms`));
        }, opts.timeoutMs);
      }
    });
  }

  /** Connects to the card in the selected reader (or `opts.reader`). */
  async connect(opts: ConnectOptions = {}): Promise<ReaderChannel> {
    const timeoutMs = opts.timeoutMs ?? this.opts.connectTimeoutMs;
    const deadline = Date.now() + timeoutMs;
    await this.ready();
    const gen = this.requireGeneration();
    const sel = opts.reader ?? this.selector;
    const entry = selectReader(sel, this.known(gen));
    if (!entry) throw new PcscError('NO_READER', `no reader matches ${describeSelector(sel)}`);
    if (entry.channel || entry.connecting) throw new PcscError('ALREADY_CONNECTED', `already connected to ${entry.name}`);
    if (!entry.card?.present) throw new PcscError('NO_CARD', `no card in ${entry.name}`);
    if (entry.card.mute) throw new PcscError('CARD_UNRESPONSIVE', `the card in ${entry.name} does not answer reset`);
    const shareMode = opts.shareMode ?? 'exclusive';
    entry.connecting = true;
    let protocol: number | undefined;
    let io: NativeReader;
    try {
      // An earlier command or connect may still be running in pcscd (after a timeout), and an
      // earlier handle may still be being released: the native reader holds one handle at a time.
      await withTimeout(
        this.idle(entry).then(() => entry.pendingDisconnect),
        deadline - Date.now(),
        () => new PcscError('TIMEOUT', `${entry.name} is still busy with an earlier command`),
      );
      io = await withTimeout(this.ioReader(entry), deadline - Date.now(), () => new PcscError('TIMEOUT', `${entry.name} did not answer`));
      protocol = await this.call<number>(
        entry,
        (cb) => io._connect(shareMode === 'exclusive' ? SCARD.SHARE_EXCLUSIVE : SCARD.SHARE_SHARED, SCARD.PROTOCOL_T0 | SCARD.PROTOCOL_T1, cb),
        Math.max(1, deadline - Date.now()),
        // A connect that completes after we gave up holds a handle: release it.
        (err) => {
          if (err) return;
          entry.handle = true;
          void this.releaseHandle(entry, SCARD.LEAVE_CARD);
        },
      );
      entry.handle = true;
    } catch (err) {
      throw fromNativeError(err, 'connect');
    } finally {
      entry.connecting = false;
    }
    const lost = this.lostReason(entry);
    const card = entry.card;
    if (lost || !card?.present) {
      void this.releaseHandle(entry, SCARD.LEAVE_CARD);
      throw lost ?? new PcscError('CARD_REMOVED', `the card was removed from ${entry.name} while connecting`);
    }
    const channel = new Channel(this.ops, entry, io, protocol === SCARD.PROTOCOL_T0 ? 'T=0' : 'T=1', protocol ?? SCARD.PROTOCOL_T1, shareMode, card.atr);
    entry.channel = channel;
    this.update();
    return channel;
  }

  /**
   * Stops watching: closes any channel (SERVICE_CLOSED), releases cards and pcscd's context.
   * Resolves when commands in flight have finished (at most a few seconds).
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.retryTimer);
    const gen = this.gen;
    this.gen = undefined;
    const retiring = gen ? this.retireGeneration(gen, new PcscError('SERVICE_CLOSED', 'the reader service was closed'), false) : [];
    this.update();
    await withTimeout(Promise.all(retiring), 3000, () => undefined).catch(() => undefined);
  }

  // ---- context and readers ------------------------------------------------------------------

  private openContext(): void {
    this.retryTimer = undefined;
    if (this.closed) return;
    let binding: PcscBinding;
    try {
      binding = this.loadBinding();
    } catch (err) {
      // Nothing will change without a rebuild: report it and do not retry.
      this.unavailable = { detail: err instanceof Error ? err.message : String(err), library: true };
      this.update();
      return;
    }
    let ctx: NativeContext;
    try {
      ctx = new binding.PCSCLite();
    } catch (err) {
      // "SCardEstablishContext error: Service not available": pcscd is not running.
      this.unavailable = { detail: err instanceof Error ? err.message : String(err), library: false };
      this.update();
      this.scheduleRetry();
      return;
    }
    const gen: Generation = { binding, ctx, readers: new Map(), listed: false, ready: false };
    this.gen = gen;
    ctx.start((err, names) => {
      if (this.gen !== gen) return;
      if (err) this.lose(gen, err);
      else this.onReaderList(gen, parseReaderNames(names));
    });
  }

  private scheduleRetry(): void {
    if (this.closed || this.retryTimer) return;
    const delay = retryDelay(this.attempt++, this.opts.retryInitialMs, this.opts.retryMaxMs);
    this.retryTimer = setTimeout(() => this.openContext(), delay);
  }

  /** pcscd went away (or the context failed): drop everything and start again. */
  private lose(gen: Generation, err: unknown): void {
    if (this.gen !== gen || this.closed) return;
    this.gen = undefined;
    const why = fromNativeError(err, 'context');
    const reason = why.code === 'PCSC_FAILURE' ? new PcscError('PCSCD_NOT_RUNNING', why.message, why.scardCode) : why;
    this.unavailable = { detail: err instanceof Error ? err.message : String(err), library: false };
    void this.retireGeneration(gen, reason, true);
    this.update();
    this.scheduleRetry();
  }

  private retireGeneration(gen: Generation, reason: PcscError, announce: boolean): Promise<void>[] {
    const retiring = [...gen.readers.values()].map((e) => this.retire(e, reason, announce));
    closeLater(gen.ctx);
    return retiring;
  }

  private onReaderList(gen: Generation, names: string[]): void {
    for (const entry of [...gen.readers.values()]) {
      if (!names.includes(entry.name)) void this.retire(entry, new PcscError('READER_REMOVED', `${entry.name} was unplugged`), true);
    }
    for (const name of names) {
      if (this.gen !== gen) return; // a reader failed to open and the context was dropped
      if (!this.watchAll && selectReader(this.selector, [{ name }]) === undefined) continue;
      if (!gen.readers.has(name)) this.addReader(gen, name);
    }
    gen.listed = true;
    this.checkReady(gen);
    this.update();
  }

  private addReader(gen: Generation, name: string): void {
    let watcher: NativeReader;
    try {
      watcher = new gen.binding.CardReader(name);
    } catch (err) {
      this.lose(gen, err);
      return;
    }
    const entry: Entry = {
      name,
      watcher,
      io: undefined,
      gen,
      card: undefined,
      events: undefined,
      channel: undefined,
      connecting: false,
      handle: false,
      inflight: 0,
      idleWaiters: [],
      pendingDisconnect: undefined,
      retired: false,
    };
    gen.readers.set(name, entry);
    // The binding calls this when the reader's status thread ends (unplugged, error or closed).
    watcher.emit = (event: string) => {
      if (event === '_end' && !entry.retired && this.gen === gen) {
        void this.retire(entry, new PcscError('READER_REMOVED', `${name} was unplugged`), true);
        this.update();
      }
      return true;
    };
    watcher.get_status((err, state, atr) => {
      if (entry.retired || this.gen !== gen) return;
      if (err) this.lose(gen, err);
      else this.onStatus(entry, state ?? 0, atr);
    });
    this.emit('reader-added', name);
  }

  private onStatus(entry: Entry, state: number, atr: Buffer | undefined): void {
    if (state & SCARD.STATE_UNKNOWN) {
      // The reader is going away (its status thread ends next): that is not a card removal.
      void this.retire(entry, new PcscError('READER_REMOVED', `${entry.name} was unplugged`), true);
      this.update();
      return;
    }
    const before = entry.card;
    const beforeEvents = entry.events;
    const card = presenceFromFlags(state, atr);
    entry.card = card;
    entry.events = eventCount(state);
    // Taken out and put back between two looks: pcscd's insert/remove counter moved on.
    const swapped = before?.present === true && card.present && beforeEvents !== entry.events;
    if (before?.present && (!card.present || swapped)) {
      entry.channel?.invalidate(new PcscError('CARD_REMOVED', `the card was removed from ${entry.name}`));
      this.emit('card-removed', { reader: entry.name });
    }
    if (card.present && (!before?.present || swapped)) this.emit('card-inserted', { reader: entry.name, atr: card.atr, mute: card.mute });
    this.checkReady(entry.gen);
    this.update();
  }

  private checkReady(gen: Generation): void {
    if (gen.ready || !gen.listed || this.gen !== gen) return;
    for (const e of gen.readers.values()) if (e.card === undefined) return;
    gen.ready = true;
    this.unavailable = undefined;
    this.attempt = 0;
    this.update();
  }

  /** Takes a reader out of service: closes its channel, releases its card, closes the native reader. */
  private async retire(entry: Entry, reason: PcscError, announce: boolean): Promise<void> {
    if (entry.retired) return;
    entry.retired = true;
    entry.gen.readers.delete(entry.name);
    this.checkReady(entry.gen);
    entry.channel?.invalidate(reason);
    if (announce) {
      if (entry.card?.present) this.emit('card-removed', { reader: entry.name });
      this.emit('reader-removed', entry.name);
    }
    closeLater(entry.watcher);
    await this.releaseHandle(entry, SCARD.LEAVE_CARD);
    const io = await entry.io?.catch(() => undefined);
    if (io) retainBriefly(io);
  }

  /** The reader object for connect/transmit (see Entry.io): its status thread is closed first. */
  private ioReader(entry: Entry): Promise<NativeReader> {
    entry.io ??= new Promise<NativeReader>((resolve, reject) => {
      const io = new entry.gen.binding.CardReader(entry.name);
      io.emit = () => true;
      let first = true;
      // The first status comes at once; only then is the thread's pcscd context there to cancel.
      io.get_status((err) => {
        if (!first) return;
        first = false;
        closeLater(io, () => (err ? reject(fromNativeError(err, 'status')) : resolve(io)));
      });
    }).catch((err: unknown) => {
      entry.io = undefined; // try afresh on the next connect
      throw err;
    });
    return entry.io;
  }

  // ---- native calls -------------------------------------------------------------------------

  /**
   * Runs one native call on `entry`, counting it in flight. Rejects with TIMEOUT after `timeoutMs`
   * (the native call still runs to its end; `late` sees how it ended).
   */
  private call<T>(entry: Entry, op: (cb: NativeCallback<[T?]>) => void, timeoutMs: number, late?: (err: unknown) => void): Promise<T | undefined> {
    return new Promise<T | undefined>((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(() => {
        settled = true;
        reject(new PcscError('TIMEOUT', `no answer from ${entry.name} within ${timeoutMs} ms`));
      }, timeoutMs);
      const finish = (err: unknown, value: T | undefined) => {
        entry.inflight--;
        if (entry.inflight === 0) for (const w of entry.idleWaiters.splice(0)) w();
        if (settled) {
          late?.(err ?? undefined);
          return;
        }
        settled = true;
        clearTimeout(timer);
        if (err) reject(err instanceof Error ? err : new Error(String(err)));
        else resolve(value);
      };
      entry.inflight++;
      try {
        op((err, value) => finish(err, value));
      } catch (err) {
        finish(err, undefined);
      }
    });
  }

  private idle(entry: Entry): Promise<void> {
    return entry.inflight === 0 ? Promise.resolve() : new Promise((resolve) => entry.idleWaiters.push(resolve));
  }

  /** Releases the card handle once nothing is in flight (no-op when there is none). */
  private releaseHandle(entry: Entry, disposition: number): Promise<void> {
    const run = async () => {
      await this.idle(entry);
      if (!entry.handle) return;
      try {
        const io = await entry.io;
        if (io) await this.call(entry, (cb) => io._disconnect(disposition, cb), 5000);
      } catch {
        /* the card or pcscd is gone: nothing left to release */
      }
      entry.handle = false;
    };
    const previous = entry.pendingDisconnect ?? Promise.resolve();
    const p = previous.then(run);
    entry.pendingDisconnect = p;
    void p.then(() => {
      if (entry.pendingDisconnect === p) entry.pendingDisconnect = undefined;
    });
    return p;
  }

  /** Why a reader can no longer be used, if it cannot. */
  private lostReason(entry: Entry): PcscError | undefined {
    if (this.closed) return new PcscError('SERVICE_CLOSED', 'the reader service was closed');
    if (this.gen !== entry.gen) return new PcscError('PCSCD_NOT_RUNNING', 'pcscd went away');
    if (entry.retired) return new PcscError('READER_REMOVED', `${entry.name} was unplugged`);
    return undefined;
  }

  /** Emits 'state' when the selected reader's state changed. */
  private update(): void {
    const s = this.state;
    if (sameState(s, this.lastState)) return;
    this.lastState = s;
    this.emit('state', s);
  }

  private requireGeneration(): Generation {
    if (this.closed) throw new PcscError('SERVICE_CLOSED', 'the reader service was closed');
    const gen = this.gen;
    if (gen?.ready) return gen;
    if (this.unavailable?.library) throw new PcscError('PCSC_LIBRARY_MISSING', this.unavailable.detail);
    throw new PcscError('PCSCD_NOT_RUNNING', `pcscd is not available${this.unavailable ? `: ${this.unavailable.detail}` : ''}`);
  }

  private known(gen: Generation): Array<Entry & { card: CardPresence }> {
    return [...gen.readers.values()].filter((e): e is Entry & { card: CardPresence } => e.card !== undefined);
  }

  private info(e: Entry & { card: CardPresence }): ReaderInfo {
    return { name: e.name, card: e.card, connected: e.channel !== undefined };
  }
}

class Channel implements ReaderChannel {
  private closedWith: PcscError | undefined;
  private readonly closedSignal: Promise<PcscError>;
  private signalClosed!: (err: PcscError) => void;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly svc: ServiceOps,
    private readonly entry: Entry,
    private readonly io: NativeReader,
    readonly protocol: Protocol,
    private readonly nativeProtocol: number,
    readonly shareMode: ShareMode,
    readonly atr: Buffer,
  ) {
    this.closedSignal = new Promise((resolve) => (this.signalClosed = resolve));
  }

  get reader(): string {
    return this.entry.name;
  }

  get closedReason(): PcscError | undefined {
    return this.closedWith;
  }

  async transmit(apdu: Uint8Array, opts: TransmitOptions = {}): Promise<ResponseApdu> {
    return parseResponse(await this.transmitBytes(apdu, opts));
  }

  transmitBytes(apdu: Uint8Array, opts: TransmitOptions = {}): Promise<Buffer> {
    const run = this.tail.then(() => this.exchange(apdu, opts));
    this.tail = run.catch(() => undefined);
    return run;
  }

  send(command: CommandApdu, opts: TransmitOptions & { readonly extended?: boolean } = {}): Promise<ResponseApdu> {
    let bytes: Buffer;
    try {
      bytes = encodeCommand(command, { extended: opts.extended === true });
    } catch (err) {
      return Promise.reject(new PcscError('INVALID_APDU', err instanceof Error ? err.message : String(err)));
    }
    return this.transmit(bytes, opts);
  }

  async disconnect(disposition: Disposition = 'unpower'): Promise<void> {
    if (!this.closedWith) {
      this.closedWith = new PcscError('CHANNEL_CLOSED', `disconnected from ${this.entry.name}`);
      this.signalClosed(this.closedWith);
      await this.tail;
      // A command that outlived its time limit may hold the reader; the release then happens
      // when it ends, and connect() waits for it.
      await withTimeout(this.svc.releaseHandle(this.entry, DISPOSITION[disposition]), 5000, () => undefined);
      this.detach();
    }
  }

  /** Closes the channel for `reason` (card removed, timeout, pcscd gone…) and releases the card. */
  invalidate(reason: PcscError): void {
    if (this.closedWith) return;
    this.closedWith = reason;
    this.signalClosed(reason);
    void this.svc.releaseHandle(this.entry, SCARD.LEAVE_CARD);
    this.detach();
  }

  private detach(): void {
    if (this.entry.channel !== this) return;
    this.entry.channel = undefined;
    this.svc.update();
  }

  private async exchange(apdu: Uint8Array, opts: TransmitOptions): Promise<Buffer> {
    if (this.closedWith) throw this.closedWith;
    // Never let a command shorter than CLA INS P1 P2 reach pcscd: Debian's vpcd passes it on as
    // is, and a 1-byte one reads as a vpcd control byte the card does not answer, so pcscd would
    // wait on that reader until the card is taken out.
    if (apdu.length < APDU_HEADER_LENGTH || apdu.length > MAX_COMMAND_LENGTH) {
      throw new PcscError('INVALID_APDU', `a command APDU is ${APDU_HEADER_LENGTH} to ${MAX_COMMAND_LENGTH} bytes, got ${apdu.length}`);
    }
    const lost = this.svc.lostReason(this.entry);
    if (lost) throw lost;
    const bytes = Buffer.isBuffer(apdu) ? apdu : Buffer.from(apdu.buffer, apdu.byteOffset, apdu.length);
    let response: Buffer | undefined;
    try {
      response = await this.svc.call<Buffer>(
        this.entry,
        (cb) => this.io._transmit(bytes, MAX_RESPONSE_LENGTH, this.nativeProtocol, cb),
        opts.timeoutMs ?? this.svc.transmitTimeoutMs,
      );
    } catch (err) {
      if (isPcscError(err, 'TIMEOUT')) {
        // The card may still be working on it: this connection cannot be trusted any more.
        this.invalidate(err);
        throw err;
      }
      throw await this.explain(err);
    }
    if (!response || response.length < 2) throw await this.explain(undefined);
    return response;
  }

  /** Turns a failed exchange into the error the caller should see, asking pcscd if need be. */
  private async explain(err: unknown): Promise<PcscError> {
    const scard = scardCodeOf(err);
    if (err !== undefined && !isAmbiguousTransmitFailure(scard)) {
      const e = fromNativeError(err, 'transmit');
      if (FATAL_TO_CHANNEL.has(e.code)) this.invalidate(e);
      return e;
    }
    // vpcd says "not transacted" (or answers nothing) when the card vanished mid-command; pcscd
    // notices the removal a moment later. Wait for that verdict before blaming the card.
    const verdict = await withTimeout(this.closedSignal, this.svc.settleMs, () => undefined);
    if (verdict) return verdict;
    return err === undefined
      ? new PcscError('BAD_RESPONSE', `${this.entry.name}: the card's answer has no status word`)
      : new PcscError(fromNativeError(err, 'transmit').code === 'CARD_UNRESPONSIVE' ? 'CARD_UNRESPONSIVE' : 'PCSC_FAILURE', `transmit: ${(err as Error).message}`, scard);
  }
}

/** `p`, or `onTimeout()` after `ms` (rejecting if onTimeout returns an Error). */
async function withTimeout<T, U>(p: Promise<T>, ms: number, onTimeout: () => U): Promise<T | Exclude<U, Error>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<U>((resolve) => {
    timer = setTimeout(() => resolve(onTimeout()), Math.max(0, ms));
  });
  try {
    const r = await Promise.race([p, timeout]);
    if (r instanceof Error) throw r;
    return r as T | Exclude<U, Error>;
  } finally {
    clearTimeout(timer);
  }
}
