/**
 * The fuzzers' corpus and mutator, shared by the in-process fuzz (card-fuzz.test.ts) and the one
 * through pcscd (test/pcsc/card-fuzz.test.ts). Deterministic from a seed.
 */
import type { PersonaId } from '../../native/card/personas';
import { ascii, pinOf, SELECT, verifyHex } from './card-fixtures';

/** Every status word the card may answer (6F00, its internal error, is not one). */
export const ALLOWED_SW: ReadonlySet<number> = new Set([
  0x9000, 0x6300, 0x6700, 0x6881, 0x6882, 0x6884, 0x6981, 0x6982, 0x6984, 0x6985, 0x6986, 0x6a80, 0x6a82, 0x6a83, 0x6a86, 0x6a88, 0x6b00, 0x6d00, 0x6e00,
  ...Array.from({ length: 16 }, (_, i) => 0x63c0 | i),
]);

/** Spreads mutations (re-exported for the card fuzz tests). */
export { prng } from './prng';

const DIGEST_INFO = '3031300D060960864801650304020105000420' + 'AB'.repeat(32);

/** Well-formed commands that reach every handler, including the ones that change state. */
export function seeds(persona: PersonaId): string[] {
  const auth = persona === 'both-unknown' ? '1234' : pinOf(persona, 'auth');
  const text = persona === 'both-unknown' ? '1234' : pinOf(persona, 'text');
  return [
    SELECT.jpki, SELECT.text, SELECT.visual, SELECT.juki, SELECT.simulator,
    ...['0006', '000A', '000B', '0001', '0002', '0017', '0018', '001A', '001B', '0011', '0014', '0015', '0012', '0013', '001C', '0005'].map(SELECT.ef),
    '00A4000C023F00',
    '00B0000004', '00B0000000', '00B08A0000', '00B00004000000', '00B00000000000', '00B2010C00', '00B2010400',
    '00200080', '0020009800', verifyHex(auth), verifyHex('0000'), verifyHex(text), verifyHex('ABC123'), verifyHex('WRONG1'),
    verifyHex(auth, '98'), verifyHex('000000000000', '94'),
    '0024018004' + ascii('2468'), '002401800A' + ascii('NEWPASS123'),
    '0084000008', '008200981000112233445566778899AABBCCDDEEFF', '0082009B1000112233445566778899AABBCCDDEEFF',
    '002C029804' + ascii('1111'), '002C029B08' + ascii('RESET123'),
    '80CA009B26', '80CA009800',
    `802A008033${DIGEST_INFO}00`, `802A009733${DIGEST_INFO}00`, `802A009A33${DIGEST_INFO}00`,
  ];
}

export function mutate(rnd: () => number, seed: Buffer): Buffer {
  const b = Buffer.from(seed);
  const r = rnd();
  const pick = (n: number) => Math.floor(rnd() * n);
  if (r < 0.2 && b.length > 0) {
    const i = pick(b.length);
    b[i] = b[i]! ^ (1 << pick(8)); // bit flip
    return b;
  }
  if (r < 0.35 && b.length > 0) {
    b[pick(Math.min(4, b.length))] = pick(256); // header byte
    return b;
  }
  if (r < 0.5 && b.length > 4) {
    b[4] = pick(256); // Lc / Le
    return b;
  }
  if (r < 0.6) return b.subarray(0, pick(b.length + 1)); // truncate
  if (r < 0.7) return Buffer.concat([b, Buffer.from(Array.from({ length: 1 + pick(4) }, () => pick(256)))]); // extend
  if (r < 0.8 && b.length > 5) {
    const c = Buffer.from(b);
    for (let i = 5; i < c.length; i++) if (rnd() < 0.3) c[i] = pick(256); // scramble data
    return c;
  }
  if (r < 0.9) {
    const len = pick(300);
    return Buffer.from(Array.from({ length: len }, () => pick(256))); // random bytes
  }
  // Random header on a well-formed body of random length, short or extended.
  const lc = pick(260);
  const body = Buffer.from(Array.from({ length: lc }, () => pick(256)));
  const head = Buffer.from([pick(2) ? 0x00 : 0x80, pick(256), pick(256), pick(256)]);
  return lc > 255 ? Buffer.concat([head, Buffer.from([0, lc >> 8, lc & 0xff]), body]) : Buffer.concat([head, Buffer.from([lc]), body]);
}

