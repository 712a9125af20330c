/**
 * 券面AP (visual AP), docs/card.md §6: the card face as data, behind 照合番号A (my number, 12
 * digits) or 照合番号B (14 digits); the my-number image only behind A.
 *
 * Images are small generated placeholder PNGs carrying their text (png.ts). The real photo is
 * JPEG 2000; the simulator's DF27 is a placeholder PNG too (there is no JPEG 2000 encoder here, and
 * the face check in the app simulator does not compare pixels). DF24/DF28 hold the test CA's
 * public key and its RSA signature (SHA-256, PKCS#1 v1.5) over the face fields, made at issue.
 */
import crypto from 'node:crypto';
import { AID, VISUAL_EF } from '../jpki/constants';
import type { Holder } from './card-state';
import { afterPin, application, type Application } from './file-system';
import { placeholderPng } from './png';
import { compactDate, withOffsetHeader } from './text-ap';
import { tlv } from '../apdu/tlv';

export interface RsaPublicNumbers {
  readonly n: Buffer;
  readonly e: Buffer;
}

/** n and e of an SPKI DER public key (base64), as the card file keeps the face key. */
export function rsaPublicNumbers(spkiBase64: string): RsaPublicNumbers {
  const jwk = crypto.createPublicKey({ key: Buffer.from(spkiBase64, 'base64'), format: 'der', type: 'spki' }).export({ format: 'jwk' });
  return { n: Buffer.from(jwk.n ?? '', 'base64url'), e: Buffer.from(jwk.e ?? '', 'base64url') };
}

/** DF24/DF42 content: e then n, each as a TLV (tag 02, unsigned magnitude). */
export function publicKeyField(key: RsaPublicNumbers): Buffer {
  return Buffer.concat([tlv(0x02, key.e), tlv(0x02, key.n)]);
}

/** The face fields a signature covers: everything but the header and the signature. */
function faceFields(holder: Holder, key: RsaPublicNumbers): { before: Buffer[]; after: Buffer[] } {
  return {
    before: [
      tlv(0xdf22, Buffer.from(compactDate(holder.birthDate), 'ascii')),
      tlv(0xdf23, Buffer.from(holder.sex, 'ascii')),
      tlv(0xdf24, publicKeyField(key)),
      tlv(0xdf25, placeholderPng(holder.name, { width: 64 })),
      tlv(0xdf26, placeholderPng(holder.address, { width: 96 })),
      tlv(0xdf27, placeholderPng(`photo: ${holder.name}`, { width: 24, height: 32, keyword: 'Description' })),
    ],
    after: [
      tlv(0xdf29, Buffer.from(compactDate(holder.cardExpiry), 'ascii')),
      tlv(0xdf2a, placeholderPng(holder.securityCode, { width: 24 })),
    ],
  };
}

/** The bytes the face signature DF28 is made over. */
export function faceSignedContent(holder: Holder, key: RsaPublicNumbers): Buffer {
  const f = faceFields(holder, key);
  return Buffer.concat([...f.before, ...f.after]);
}

/** EF 0002: `FF20 {DF21 header, DF22 birth, DF23 sex, DF24 key, DF25 name, DF26 address, DF27 photo, DF28 sig, DF29 expiry, DF2A security code}`. */
export function faceEf(holder: Holder, key: RsaPublicNumbers, signature: Buffer): Buffer {
  const f = faceFields(holder, key);
  return tlv(0xff20, withOffsetHeader([...f.before, tlv(0xdf28, signature), ...f.after]));
}

export function myNumberImage(holder: Holder): Buffer {
  return placeholderPng(holder.myNumber, { width: 96 });
}

/** The bytes the my-number signature DF43 is made over. */
export function myNumberSignedContent(holder: Holder, key: RsaPublicNumbers): Buffer {
  return Buffer.concat([tlv(0xdf41, myNumberImage(holder)), tlv(0xdf42, publicKeyField(key))]);
}

/** EF 0005: `FF40 {DF41 PNG, DF42 key, DF43 sig}`. */
export function myNumberImageEf(holder: Holder, key: RsaPublicNumbers, signature: Buffer): Buffer {
  return tlv(0xff40, Buffer.concat([myNumberSignedContent(holder, key), tlv(0xdf43, signature)]));
}

export function buildVisualAp(holder: Holder, key: RsaPublicNumbers, sigs: { face: Buffer; myNumber: Buffer }): Application {
  return application('visual', AID.VISUAL, [
    { kind: 'binary', fid: VISUAL_EF.FACE, read: afterPin('visualA', 'visualB'), data: faceEf(holder, key, sigs.face) },
    { kind: 'binary', fid: VISUAL_EF.MY_NUMBER_IMAGE, read: afterPin('visualA'), data: myNumberImageEf(holder, key, sigs.myNumber) },
    { kind: 'pin', fid: VISUAL_EF.PIN_A, pin: 'visualA' },
    { kind: 'pin', fid: VISUAL_EF.PIN_B, pin: 'visualB' },
  ]);
}
