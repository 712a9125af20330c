/**
 * Typed access to the native part of the `pcsclite` package (santigimeno/node-pcsclite), pinned to
 * exactly 1.0.1 in package.json: this file leans on its internals, so an upgrade is a reviewed change.
 *
 * We use its compiled binding (`PCSCLite`, `CardReader`) directly instead of its JavaScript layer
 * (`lib/pcsclite.js`, ~100 lines), and do that layer's job in reader-service.ts, because the
 * JavaScript layer:
 * - reports failures as EventEmitter 'error' events, which crash the process when nobody listens,
 *   and it emits one more after `close()` ("Command cancelled"), when listeners are usually gone;
 * - never says when the first reader list has arrived, so "pcscd has no readers" cannot be told
 *   from "not listed yet";
 * - has loose types (`any` errors, no `readers`).
 *
 * The binding's contract, read from its src/*.cpp (keep in step if the package is upgraded):
 * - `new PCSCLite()` calls SCardEstablishContext and THROWS when pcscd is not running.
 * - `start(cb)` runs a thread that lists readers, calls `cb(undefined, names)` (a multi-string:
 *   "A\0B\0\0"), then waits for reader plug/unplug and lists again. On any PC/SC error it calls
 *   `cb(error)` once and the thread ends. `close()` cancels and joins the thread; a cancelled
 *   thread still delivers one last `cb(error)` afterwards.
 * - `new CardReader(name)`; `get_status(cb)` runs a thread calling `cb(undefined, state, atr)` on
 *   every state change and `cb(error)` on failure; when the thread ends (reader gone, error or
 *   `close()`), the binding calls the JavaScript method `this.emit('_end')` on the reader object,
 *   so that method MUST exist (a missing one aborts the process).
 * - `_connect`, `_transmit`, `_disconnect` run on libuv's thread pool and hold a per-reader mutex
 *   while in pcscd. `close()` and status delivery take the same mutex on the main thread, so never
 *   `close()` a reader while one of its commands is in flight.
 * - Native objects must stay referenced until their threads have ended (their last callback or
 *   '_end'), or a garbage collection frees memory a thread still uses.
 */
import { createRequire } from 'node:module';
import path from 'node:path';

export type NativeCallback<T extends unknown[]> = (err: Error | null | undefined, ...result: T) => void;

export interface NativeContext {
  start(cb: NativeCallback<[readers?: Buffer]>): void;
  close(): number;
}

export interface NativeReader {
  readonly name: string;
  get_status(cb: NativeCallback<[state?: number, atr?: Buffer]>): void;
  _connect(shareMode: number, protocols: number, cb: NativeCallback<[protocol?: number]>): void;
  _disconnect(disposition: number, cb: NativeCallback<[]>): void;
  _transmit(data: Buffer, maxRecvLength: number, protocol: number, cb: NativeCallback<[response?: Buffer]>): void;
  close(): number;
  /** Called by the binding with '_end' when the status thread has ended. */
  emit: (event: string) => boolean;
}

export interface PcscBinding {
  PCSCLite: new () => NativeContext;
  CardReader: new (name: string) => NativeReader;
}

/** pcsc-lite's constants (winscard.h / pcsclite.h); the same values on Linux and macOS. */
export const SCARD = {
  SHARE_EXCLUSIVE: 1,
  SHARE_SHARED: 2,
  PROTOCOL_T0: 1,
  PROTOCOL_T1: 2,
  PROTOCOL_RAW: 4,
  STATE_UNAWARE: 0x0,
  STATE_IGNORE: 0x1,
  STATE_CHANGED: 0x2,
  STATE_UNKNOWN: 0x4,
  STATE_UNAVAILABLE: 0x8,
  STATE_EMPTY: 0x10,
  STATE_PRESENT: 0x20,
  STATE_ATRMATCH: 0x40,
  STATE_EXCLUSIVE: 0x80,
  STATE_INUSE: 0x100,
  STATE_MUTE: 0x200,
  STATE_UNPOWERED: 0x400,
  LEAVE_CARD: 0,
  RESET_CARD: 1,
  UNPOWER_CARD: 2,
  EJECT_CARD: 3,
} as const;

/**
 * Receive buffer for SCardTransmit: the largest response APDU (65536 data bytes + SW1 SW2).
 * pcsc-lite accepts up to MAX_BUFFER_SIZE_EXTENDED (65548).
 */
export const MAX_RESPONSE_LENGTH = 65538;

let cached: PcscBinding | undefined;

/** Loads the compiled binding. Throws when the package or its native build is missing. */
export function loadPcscBinding(): PcscBinding {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const dir = path.dirname(require.resolve('pcsclite/package.json'));
  let lastError: unknown;
  for (const build of ['Release', 'Debug']) {
    try {
      cached = require(path.join(dir, 'build', build, 'pcsclite.node')) as PcscBinding;
      return cached;
    } catch (err) {
      lastError = err;
    }
  }
  throw new Error(`pcsclite's native module is not built (npm ci builds it with node-gyp): ${lastError instanceof Error ? lastError.message : String(lastError)}`);
}

/** Splits the binding's reader multi-string ("A\0B\0\0") into names. */
export function parseReaderNames(multi: Buffer | undefined): string[] {
  if (!multi || multi.length === 0) return [];
  return multi.toString('utf8').split('\0').filter((n) => n.length > 0);
}
