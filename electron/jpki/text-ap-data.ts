/**
 * Parsing the text AP's files (docs/card.md §6): the my number `FF10 0C <12 digits> FFFF` and the
 * basic 4 info `FF20 {DF21 header, DF22 name, DF23 address, DF24 birth, DF25 sex}`.
 */
import { parseTlvs, readTlvHeader, TlvError } from '../../native/apdu/tlv';
import { JpkiError } from './jpki-error';

export interface BasicInfo {
  readonly name: string;
  readonly address: string;
  /** YYYY-MM-DD */
  readonly birthDate: string;
  /** ISO 5218: '1' male, '2' female, '9' not applicable. */
  readonly sex: string;
}

/** Length of the whole TLV whose header starts `head`. */
export function tlvTotalLength(head: Uint8Array): number {
  try {
    const h = readTlvHeader(head);
    return h.headerLength + h.valueLength;
  } catch (err) {
    if (err instanceof TlvError) throw new JpkiError('BAD_RESPONSE', `EF does not start with a TLV header: ${err.message}`);
    throw err;
  }
}

function outer(bytes: Uint8Array, tag: number): Buffer {
  try {
    const h = readTlvHeader(bytes);
    if (h.tag !== tag) throw new JpkiError('BAD_RESPONSE', `expected tag ${tag.toString(16).toUpperCase()}, found ${h.tag.toString(16).toUpperCase()}`);
    return Buffer.from(bytes.subarray(h.headerLength, h.headerLength + h.valueLength));
  } catch (err) {
    if (err instanceof TlvError) throw new JpkiError('BAD_RESPONSE', err.message);
    throw err;
  }
}

export function parseMyNumber(ef: Uint8Array): string {
  const digits = outer(ef, 0xff10).toString('latin1');
  if (!/^\d{12}$/.test(digits)) throw new JpkiError('BAD_RESPONSE', 'the my number EF does not hold 12 digits');
  return digits;
}

export function parseBasicInfo(ef: Uint8Array): BasicInfo {
  let fields;
  try {
    fields = new Map(parseTlvs(outer(ef, 0xff20)).map((t) => [t.tag, t.value]));
  } catch (err) {
    if (err instanceof TlvError) throw new JpkiError('BAD_RESPONSE', err.message);
    throw err;
  }
  const text = (tag: number, what: string) => {
    const v = fields.get(tag);
    if (v === undefined) throw new JpkiError('BAD_RESPONSE', `basic info has no ${what}`);
    return v.toString('utf8');
  };
  const birth = text(0xdf24, 'birth date');
  if (!/^\d{8}$/.test(birth)) throw new JpkiError('BAD_RESPONSE', 'birth date is not YYYYMMDD');
  return {
    name: text(0xdf22, 'name'),
    address: text(0xdf23, 'address'),
    birthDate: `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}`,
    sex: text(0xdf25, 'sex'),
  };
}
