/**
 * 券面事項入力補助AP (text AP), docs/card.md §6: the my number and the basic 4 info (name,
 * address, birth date, sex) for filling in forms, behind the 4-digit 入力補助用 PIN, or behind
 * 照合番号A (my number → EF 0001) / 照合番号B (birth YYMMDD ‖ expiry year ‖ security code → EF 0002).
 */
import { AID, TEXT_EF } from '../jpki/constants';
import type { Holder } from './card-state';
import { ALWAYS, afterPin, application, type Application } from './file-system';
import { tlv } from '../apdu/tlv';

/** EF 0001: `FF 10 0C` ‖ 12 ASCII digits ‖ `FF FF` (17 bytes). */
export function myNumberEf(holder: Holder): Buffer {
  return Buffer.concat([tlv(0xff10, Buffer.from(holder.myNumber, 'ascii')), Buffer.from([0xff, 0xff])]);
}

/**
 * `DF21` holds one 16-bit big-endian offset per following field, counted from the start of the
 * outer value, as the public dumps show (8 bytes for 4 fields). The exact meaning of the real
 * header is not published; readers in the wild skip it.
 */
export function withOffsetHeader(fields: readonly Buffer[]): Buffer {
  const headerLen = 2 + 1 + 2 * fields.length; // DF21 tag, 1-byte length, offsets
  const offsets = Buffer.alloc(2 * fields.length);
  let at = headerLen;
  fields.forEach((f, i) => {
    offsets.writeUInt16BE(at, 2 * i);
    at += f.length;
  });
  return Buffer.concat([tlv(0xdf21, offsets), ...fields]);
}

/** YYYY-MM-DD → YYYYMMDD */
export function compactDate(iso: string): string {
  return iso.replace(/-/g, '');
}

/** EF 0002: `FF 20 {DF21 header, DF22 name, DF23 address, DF24 birth YYYYMMDD, DF25 sex}`. */
export function basicInfoEf(holder: Holder): Buffer {
  const fields = [
    tlv(0xdf22, Buffer.from(holder.name, 'utf8')),
    tlv(0xdf23, Buffer.from(holder.address, 'utf8')),
    tlv(0xdf24, Buffer.from(compactDate(holder.birthDate), 'ascii')),
    tlv(0xdf25, Buffer.from(holder.sex, 'ascii')),
  ];
  return tlv(0xff20, withOffsetHeader(fields));
}

/** 照合番号B: birth YYMMDD ‖ card expiry year YYYY ‖ 4-digit security code (14 digits). */
export function matchingNumberB(holder: Holder): string {
  return compactDate(holder.birthDate).slice(2) + holder.cardExpiry.slice(0, 4) + holder.securityCode;
}

/** EF 0005: AP info `FF40 {DF41 4 bytes, DF42 16 bytes}`; contents are the simulator's own. */
export function textApInfoEf(cardId: string): Buffer {
  const id = Buffer.from(cardId.padStart(32, '0').slice(-32), 'hex');
  return tlv(0xff40, Buffer.concat([tlv(0xdf41, Buffer.from('KSIM', 'ascii')), tlv(0xdf42, id)]));
}

export function buildTextAp(holder: Holder, cardId: string): Application {
  return application('text', AID.TEXT, [
    { kind: 'binary', fid: TEXT_EF.MY_NUMBER, read: afterPin('text', 'textA'), data: myNumberEf(holder) },
    { kind: 'binary', fid: TEXT_EF.BASIC_INFO, read: afterPin('text', 'textB'), data: basicInfoEf(holder) },
    { kind: 'binary', fid: TEXT_EF.AP_INFO, read: ALWAYS, data: textApInfoEf(cardId) },
    { kind: 'pin', fid: TEXT_EF.PIN, pin: 'text' },
    { kind: 'pin', fid: TEXT_EF.PIN_A, pin: 'textA' },
    { kind: 'pin', fid: TEXT_EF.PIN_B, pin: 'textB' },
  ]);
}
