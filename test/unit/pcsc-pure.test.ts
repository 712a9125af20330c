/** Pure parts of the PC/SC reader service: state flags, reader selection, error translation. */
import { describe, expect, it } from 'vitest';
import { parseReaderNames, SCARD } from '../../native/pcsc/binding';
import { fromNativeError, isAmbiguousTransmitFailure, SCARD_E, scardCodeOf } from '../../native/pcsc/errors';
import { eventCount, parseSelector, presenceFromFlags, readerState, retryDelay, sameState, selectReader } from '../../native/pcsc/reader-state';

const ATR = Buffer.from('3BE000FF8131FE4514', 'hex');

describe('reader state from pcsc-lite flags', () => {
  it('reads presence, mute and the insert/remove counter', () => {
    expect(presenceFromFlags(SCARD.STATE_EMPTY | SCARD.STATE_CHANGED, Buffer.alloc(0))).toEqual({ present: false });
    expect(presenceFromFlags((3 << 16) | SCARD.STATE_PRESENT | SCARD.STATE_CHANGED, ATR)).toEqual({ present: true, atr: ATR, mute: false });
    expect(presenceFromFlags(SCARD.STATE_PRESENT | SCARD.STATE_MUTE, undefined)).toEqual({ present: true, atr: Buffer.alloc(0), mute: true });
    expect(presenceFromFlags(SCARD.STATE_PRESENT | SCARD.STATE_UNKNOWN, ATR)).toEqual({ present: false });
    expect(eventCount(0x00250022)).toBe(0x25);
    expect(eventCount(0xffff0012 | 0)).toBe(0xffff);
  });

  it('splits the reader multi-string', () => {
    expect(parseReaderNames(Buffer.from('Virtual PCD 00 00\0Virtual PCD 00 01\0\0'))).toEqual(['Virtual PCD 00 00', 'Virtual PCD 00 01']);
    expect(parseReaderNames(Buffer.alloc(0))).toEqual([]);
    expect(parseReaderNames(undefined)).toEqual([]);
  });

  it('selects by exact name or by prefix, preferring a reader with a card', () => {
    const readers = [
      { name: 'Virtual PCD 00 00', card: { present: false as const } },
      { name: 'Virtual PCD 00 01', card: { present: true as const, atr: ATR, mute: false } },
      { name: 'ACS ACR39U 01 00', card: { present: false as const } },
    ];
    expect(selectReader({ name: 'Virtual PCD 00 00' }, readers)?.name).toBe('Virtual PCD 00 00');
    expect(selectReader({ name: 'Virtual PCD' }, readers)).toBeUndefined();
    expect(selectReader({ prefix: 'Virtual PCD' }, readers)?.name).toBe('Virtual PCD 00 01');
    expect(selectReader({ prefix: 'ACS' }, readers)?.name).toBe('ACS ACR39U 01 00');
    expect(selectReader({ prefix: 'Gemalto' }, readers)).toBeUndefined();
    expect(parseSelector('Virtual PCD 00 00')).toEqual({ name: 'Virtual PCD 00 00' });
    expect(parseSelector('=Odd*Name')).toEqual({ name: 'Odd*Name' });
    expect(parseSelector('ACS*')).toEqual({ prefix: 'ACS' });
  });

  it('derives the selected reader state', () => {
    const sel = { name: 'R' };
    expect(readerState(sel, undefined)).toEqual({ status: 'no-reader', selector: sel });
    expect(readerState(sel, { name: 'R', card: { present: false }, connected: false })).toEqual({ status: 'no-card', reader: 'R' });
    expect(readerState(sel, { name: 'R', card: { present: true, atr: ATR, mute: true }, connected: false })).toEqual({ status: 'card-mute', reader: 'R' });
    expect(readerState(sel, { name: 'R', card: { present: true, atr: ATR, mute: false }, connected: false })).toEqual({ status: 'card-present', reader: 'R', atr: ATR });
    expect(readerState(sel, { name: 'R', card: { present: true, atr: ATR, mute: false }, connected: true, channel: { protocol: 'T=1', shareMode: 'exclusive' } })).toEqual({
      status: 'connected',
      reader: 'R',
      atr: ATR,
      protocol: 'T=1',
      shareMode: 'exclusive',
    });
    expect(sameState({ status: 'card-present', reader: 'R', atr: ATR }, { status: 'card-present', reader: 'R', atr: Buffer.from(ATR) })).toBe(true);
    expect(sameState({ status: 'card-present', reader: 'R', atr: ATR }, { status: 'card-present', reader: 'R', atr: Buffer.from('3B00', 'hex') })).toBe(false);
  });

  it('backs off retries by doubling up to a cap', () => {
    expect([0, 1, 2, 3, 4, 5, 50].map((n) => retryDelay(n, 100, 2000))).toEqual([100, 200, 400, 800, 1600, 2000, 2000]);
  });
});

describe('PC/SC error translation', () => {
  const err = (call: string, text: string, code: number) => new Error(`${call} error: ${text}.(0x${code.toString(16)})`);

  it('reads pcsc-lite codes out of the binding messages', () => {
    expect(scardCodeOf(err('SCardTransmit', 'Card was removed', SCARD_E.W_REMOVED_CARD))).toBe(SCARD_E.W_REMOVED_CARD);
    expect(scardCodeOf(new Error('something else'))).toBeUndefined();
    expect(scardCodeOf('not an error')).toBeUndefined();
  });

  it.each([
    ['SCardEstablishContext', 'Service not available', SCARD_E.NO_SERVICE, 'context', 'PCSCD_NOT_RUNNING'],
    ['SCardGetStatusChange', 'RPC transport error', SCARD_E.F_COMM_ERROR, 'status', 'PCSCD_NOT_RUNNING'],
    ['SCardTransmit', 'Card was removed', SCARD_E.W_REMOVED_CARD, 'transmit', 'CARD_REMOVED'],
    ['SCardTransmit', 'No smart card inserted', SCARD_E.NO_SMARTCARD, 'transmit', 'CARD_REMOVED'],
    ['SCardConnect', 'No smart card inserted', SCARD_E.NO_SMARTCARD, 'connect', 'NO_CARD'],
    ['SCardConnect', 'Unknown reader specified', SCARD_E.UNKNOWN_READER, 'connect', 'NO_READER'],
    ['SCardTransmit', 'Reader is unavailable', SCARD_E.READER_UNAVAILABLE, 'transmit', 'READER_REMOVED'],
    ['SCardConnect', 'Sharing violation', SCARD_E.SHARING_VIOLATION, 'connect', 'SHARING_VIOLATION'],
    ['SCardTransmit', 'Card was reset', SCARD_E.W_RESET_CARD, 'transmit', 'CARD_RESET'],
    ['SCardConnect', 'Card is unpowered', SCARD_E.W_UNPOWERED_CARD, 'connect', 'CARD_UNRESPONSIVE'],
    ['SCardTransmit', 'Command timeout', SCARD_E.TIMEOUT, 'transmit', 'TIMEOUT'],
    ['SCardTransmit', 'Insufficient buffer', 0x80100008, 'transmit', 'PCSC_FAILURE'],
  ] as const)('%s %s → %s', (call, text, code, during, expected) => {
    const e = fromNativeError(err(call, text, code), during);
    expect(e.code).toBe(expected);
    expect(e.scardCode).toBe(code);
    expect(e.message).toContain(text);
  });

  it('holds back a verdict only for failures that do not say why', () => {
    expect(isAmbiguousTransmitFailure(SCARD_E.NOT_TRANSACTED)).toBe(true);
    expect(isAmbiguousTransmitFailure(undefined)).toBe(true);
    expect(isAmbiguousTransmitFailure(SCARD_E.W_REMOVED_CARD)).toBe(false);
    expect(isAmbiguousTransmitFailure(SCARD_E.NO_SERVICE)).toBe(false);
  });
});
