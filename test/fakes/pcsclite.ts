/**
 * A stand-in for pcsclite's native binding (native/pcsc/binding.ts describes the real one), with
 * a pcscd that a test can stop, start, and plug readers and cards into. Callbacks arrive on later
 * loop turns, like the real binding's.
 */
import { SCARD, type NativeCallback, type NativeContext, type NativeReader, type PcscBinding } from '../../native/pcsc/binding';

const later = (fn: () => void) => setImmediate(fn);

function scardError(call: string, text: string, code: number): Error {
  return new Error(`${call} error: ${text}.(0x${code.toString(16).padStart(8, '0')})`);
}

interface FakeReaderState {
  card: Buffer | undefined;
  counter: number;
  exclusiveBy: object | undefined;
}

export type TransmitBehaviour = (apdu: Buffer, reader: string) => { err?: Error; data?: Buffer } | 'hang';

export class FakePcscd {
  running = true;
  /** Number of PCSCLite contexts made (successfully). */
  contexts = 0;
  readonly readers = new Map<string, FakeReaderState>();
  transmit: TransmitBehaviour = () => ({ data: Buffer.from([0x90, 0x00]) });
  /** Every command that reached pcscd (SCardTransmit called), in order. */
  readonly transmitted: Buffer[] = [];
  /** Commands that got no answer; they fail when their card is removed or pcscd stops. */
  readonly hung: Array<{ name: string; cb: NativeCallback<[Buffer?]> }> = [];
  private readonly listWatchers = new Set<{ cb: NativeCallback<[Buffer?]>; dead: boolean }>();
  private readonly statusWatchers = new Set<{ name: string; cb: NativeCallback<[number?, Buffer?]>; end: () => void; last: number }>();

  constructor(readerNames: string[] = []) {
    for (const n of readerNames) this.readers.set(n, { card: undefined, counter: 0, exclusiveBy: undefined });
  }

  binding(): PcscBinding {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const pcscd = this;

    class FakeContext implements NativeContext {
      private watcher: { cb: NativeCallback<[Buffer?]>; dead: boolean } | undefined;
      constructor() {
        if (!pcscd.running) throw scardError('SCardEstablishContext', 'Service not available', 0x8010001d);
        pcscd.contexts++;
      }
      start(cb: NativeCallback<[Buffer?]>): void {
        this.watcher = { cb, dead: false };
        pcscd.listWatchers.add(this.watcher);
        later(() => pcscd.sendList(this.watcher!));
      }
      close(): number {
        const w = this.watcher;
        if (w && !w.dead) {
          w.dead = true;
          pcscd.listWatchers.delete(w);
          // The real binding delivers one last "cancelled" error after close().
          later(() => w.cb(scardError('SCardGetStatusChange', 'Command cancelled', 0x80100002)));
        }
        return 0;
      }
    }

    class FakeReader implements NativeReader {
      emit: (event: string) => boolean = () => true;
      private watcher: { name: string; cb: NativeCallback<[number?, Buffer?]>; end: () => void; last: number } | undefined;
      private handle = false;
      constructor(readonly name: string) {}
      get_status(cb: NativeCallback<[number?, Buffer?]>): void {
        const w = { name: this.name, cb, end: () => this.emit('_end'), last: -1 };
        this.watcher = w;
        pcscd.statusWatchers.add(w);
        later(() => pcscd.sendStatus(w));
      }
      close(): number {
        if (this.watcher && pcscd.statusWatchers.delete(this.watcher)) later(() => this.emit('_end'));
        return 0;
      }
      _connect(shareMode: number, _protocols: number, cb: NativeCallback<[number?]>): void {
        later(() => {
          const r = pcscd.readers.get(this.name);
          if (!pcscd.running) return cb(scardError('SCardConnect', 'Service not available', 0x8010001d));
          if (!r) return cb(scardError('SCardConnect', 'Unknown reader specified', 0x80100009));
          if (!r.card) return cb(scardError('SCardConnect', 'No smart card inserted', 0x8010000c));
          if (r.exclusiveBy && r.exclusiveBy !== this) return cb(scardError('SCardConnect', 'Sharing violation', 0x8010000b));
          if (shareMode === SCARD.SHARE_EXCLUSIVE) r.exclusiveBy = this;
          this.handle = true;
          cb(null, SCARD.PROTOCOL_T1);
        });
      }
      _disconnect(_disposition: number, cb: NativeCallback<[]>): void {
        later(() => {
          const r = pcscd.readers.get(this.name);
          if (r?.exclusiveBy === this) r.exclusiveBy = undefined;
          this.handle = false;
          cb(null);
        });
      }
      _transmit(data: Buffer, _max: number, _protocol: number, cb: NativeCallback<[Buffer?]>): void {
        pcscd.transmitted.push(Buffer.from(data));
        later(() => {
          if (!pcscd.running) return cb(scardError('SCardTransmit', 'Service not available', 0x8010001d));
          if (!this.handle) return cb(scardError('SCardTransmit', 'Invalid handle', 0x80100003));
          if (!pcscd.readers.get(this.name)?.card) return cb(scardError('SCardTransmit', 'Card was removed', 0x80100069));
          const r = pcscd.transmit(Buffer.from(data), this.name);
          if (r === 'hang') pcscd.hung.push({ name: this.name, cb });
          else cb(r.err ?? null, r.data);
        });
      }
    }

    return { PCSCLite: FakeContext, CardReader: FakeReader };
  }

  // ---- what a test does to pcscd -----------------------------------------------------------------

  stop(): void {
    this.running = false;
    this.failHung();
    for (const w of this.listWatchers) {
      w.dead = true;
      later(() => w.cb(scardError('SCardGetStatusChange', 'RPC transport error', 0x80100013)));
    }
    this.listWatchers.clear();
    for (const w of this.statusWatchers) {
      later(() => {
        w.cb(scardError('SCardGetStatusChange', 'RPC transport error', 0x80100013));
        w.end();
      });
    }
    this.statusWatchers.clear();
    for (const r of this.readers.values()) r.exclusiveBy = undefined;
  }

  start(): void {
    this.running = true;
  }

  plug(name: string): void {
    this.readers.set(name, { card: undefined, counter: 0, exclusiveBy: undefined });
    this.listChanged();
  }

  unplug(name: string): void {
    this.readers.delete(name);
    for (const w of [...this.statusWatchers]) {
      if (w.name !== name) continue;
      this.statusWatchers.delete(w);
      later(() => {
        w.cb(undefined, SCARD.STATE_UNKNOWN | SCARD.STATE_CHANGED, Buffer.alloc(0));
        w.end();
      });
    }
    this.listChanged();
  }

  insert(name: string, atr: Buffer): void {
    const r = this.readers.get(name)!;
    r.card = atr;
    r.counter++;
    this.statusChanged(name);
  }

  remove(name: string): void {
    this.failHung(name);
    const r = this.readers.get(name)!;
    r.card = undefined;
    r.counter++;
    r.exclusiveBy = undefined;
    this.statusChanged(name);
  }

  private failHung(name?: string): void {
    for (const h of [...this.hung]) {
      if (name !== undefined && h.name !== name) continue;
      this.hung.splice(this.hung.indexOf(h), 1);
      later(() => h.cb(scardError('SCardTransmit', 'Transaction failed', 0x80100016)));
    }
  }

  private listChanged(): void {
    for (const w of this.listWatchers) later(() => this.sendList(w));
  }

  private sendList(w: { cb: NativeCallback<[Buffer?]>; dead: boolean }): void {
    if (w.dead) return;
    const names = [...this.readers.keys()];
    w.cb(undefined, Buffer.from(names.map((n) => `${n}\0`).join('') + '\0'));
  }

  private statusChanged(name: string): void {
    for (const w of this.statusWatchers) if (w.name === name) later(() => this.sendStatus(w));
  }

  private sendStatus(w: { name: string; cb: NativeCallback<[number?, Buffer?]>; last: number }): void {
    if (!this.statusWatchers.has(w as never)) return;
    const r = this.readers.get(w.name);
    if (!r) return;
    const state = ((r.counter & 0xffff) << 16) | SCARD.STATE_CHANGED | (r.card ? SCARD.STATE_PRESENT : SCARD.STATE_EMPTY);
    if (state === w.last) return;
    w.last = state;
    w.cb(undefined, state, r.card ?? Buffer.alloc(0));
  }
}
