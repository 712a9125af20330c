/**
 * The 12-digit individual number (個人番号): the last digit is a check digit over the first 11, by the
 * published weighting (weights 2–7 then 2–6 from the right, mod 11).
 * Simulator numbers are random with a correct check digit, so software that validates numbers
 * accepts them; they identify nobody.
 */
import crypto from 'node:crypto';

/** Check digit for the first 11 digits. */
export function myNumberCheckDigit(first11: string): number {
  if (!/^\d{11}$/.test(first11)) throw new RangeError('need exactly 11 digits');
  let sum = 0;
  for (let n = 1; n <= 11; n++) {
    const p = Number(first11[11 - n]);
    const q = n <= 6 ? n + 1 : n - 5;
    sum += p * q;
  }
  const r = sum % 11;
  return r <= 1 ? 0 : 11 - r;
}

export function isValidMyNumber(value: string): boolean {
  return /^\d{12}$/.test(value) && myNumberCheckDigit(value.slice(0, 11)) === Number(value[11]);
}

export function randomMyNumber(random: (n: number) => Buffer = crypto.randomBytes): string {
  let digits = '';
  // Rejection sampling keeps the digits uniform.
  while (digits.length < 11) {
    for (const b of random(16)) if (b < 250 && digits.length < 11) digits += String(b % 10);
  }
  return digits + String(myNumberCheckDigit(digits));
}

/** n random decimal digits (security codes, PINs of the "unknown" persona). */
export function randomDigits(n: number, random: (n: number) => Buffer = crypto.randomBytes): string {
  let s = '';
  while (s.length < n) {
    for (const b of random(16)) if (b < 250 && s.length < n) s += String(b % 10);
  }
  return s;
}
