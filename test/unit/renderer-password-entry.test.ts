/**
 * The on-screen keypads' state and live hints: which keys count, the length limits, masking, and
 * that the live verdict is the domain rule the core and card apply (never a second copy of it).
 */
import { describe, expect, it } from 'vitest';
import { PASSWORD_RULES, passwordFormatProblem, type ResetKind } from '../../electron/domain/passwords';
import {
  DIGIT_KEYS,
  EMPTY_ENTRY,
  LETTER_KEYS,
  MASK,
  canSubmit,
  clearEntry,
  deleteLast,
  displayValue,
  liveHint,
  pressKey,
  ruleChecks,
  toggleReveal,
  type Entry,
  type FieldSpec,
} from '../../renderer/src/input/password-entry';

/** The field the core describes for each password (flow.ts passwordField). */
function fieldFor(password: ResetKind): FieldSpec {
  const rule = PASSWORD_RULES[password];
  return { password, inputMode: password === 'auth' ? 'numeric' : 'alphanumeric', minLength: rule.minLength, maxLength: rule.maxLength };
}
const PIN = fieldFor('auth');
const SIGN = fieldFor('sign');

function type(field: FieldSpec, keys: string, from: Entry = EMPTY_ENTRY): Entry {
  return [...keys].reduce((e, k) => pressKey(e, k, field), from);
}

describe('key presses', () => {
  it('the numeric keypad takes digits only, up to 4', () => {
    expect(type(PIN, '12a3B4').value).toBe('1234');
    expect(type(PIN, '123456').value).toBe('1234');
  });

  it('the alphanumeric keyboard takes A–Z and 0–9 only (no lower case, no symbols), up to 16', () => {
    expect(type(SIGN, 'ab-CD 12é').value).toBe('CD12');
    expect(type(SIGN, 'ABCDEFGHIJ1234567890').value).toBe('ABCDEFGHIJ123456');
  });

  it('offers exactly the keys its rule allows', () => {
    expect(DIGIT_KEYS.join('')).toBe('1234567890');
    expect(LETTER_KEYS.join('')).toBe('ABCDEFGHIJKLMNOPQRSTUVWXYZ');
    for (const k of LETTER_KEYS) expect(pressKey(EMPTY_ENTRY, k, PIN)).toBe(EMPTY_ENTRY);
  });

  it('delete removes the last character, clear removes all; both keep show/hide as chosen', () => {
    const e = toggleReveal(type(SIGN, 'AB12'));
    expect(deleteLast(e)).toEqual({ value: 'AB1', revealed: true });
    expect(clearEntry(e)).toEqual({ value: '', revealed: true });
    expect(deleteLast(EMPTY_ENTRY)).toBe(EMPTY_ENTRY);
    expect(clearEntry(EMPTY_ENTRY)).toBe(EMPTY_ENTRY);
  });

  it('is masked unless revealed', () => {
    const e = type(SIGN, 'AB12');
    expect(displayValue(e)).toBe(MASK.repeat(4));
    expect(displayValue(toggleReveal(e))).toBe('AB12');
    expect(displayValue(toggleReveal(toggleReveal(e)))).toBe(MASK.repeat(4));
  });
});

describe('live validation follows the domain rule', () => {
  const samples: [ResetKind, string][] = [
    ['auth', ''],
    ['auth', '12'],
    ['auth', '1234'],
    ['sign', ''],
    ['sign', 'AB1'],
    ['sign', 'ABCDEF'],
    ['sign', '123456'],
    ['sign', 'ABC123'],
    ['sign', 'ABCDEFGHIJKLMNOP'],
    ['sign', '1234567890123456'],
    ['sign', 'A1B2C3D4E5F6G7H8'],
  ];

  it.each(samples)('%s %j: 確定 is allowed exactly when the format rule accepts it', (kind, value) => {
    const field = fieldFor(kind);
    const entry = type(field, value);
    expect(entry.value).toBe(value);
    expect(canSubmit(entry, field)).toBe(passwordFormatProblem(kind, value) === null);
    expect(liveHint(field, value).tone === 'ok').toBe(passwordFormatProblem(kind, value) === null);
  });

  it('an unfinished value is a hint, not an error', () => {
    expect(liveHint(SIGN, '')).toMatchObject({ tone: 'info', problem: 'empty' });
    expect(liveHint(SIGN, 'AB1')).toMatchObject({ tone: 'info', problem: 'too-short', min: 6, max: 16 });
    // Letters only so far, room left to add a digit: still a hint.
    expect(liveHint(SIGN, 'ABCDEF')).toMatchObject({ tone: 'info', problem: 'needs-digit' });
    // A PIN has one length: it asks for exactly 4 digits.
    expect(liveHint(PIN, '12')).toMatchObject({ tone: 'info', problem: 'exact', min: 4 });
  });

  it('a full-length value that breaks the rule is an error', () => {
    expect(liveHint(SIGN, 'ABCDEFGHIJKLMNOP')).toMatchObject({ tone: 'error', problem: 'needs-digit' });
    expect(liveHint(SIGN, '1234567890123456')).toMatchObject({ tone: 'error', problem: 'needs-letter' });
  });

  it('the checklist ticks length, a letter and a digit for the signature password', () => {
    expect(ruleChecks(SIGN, 'AB')).toEqual([
      { rule: 'length', met: false },
      { rule: 'letter', met: true },
      { rule: 'digit', met: false },
    ]);
    expect(ruleChecks(SIGN, 'ABC123').every((c) => c.met)).toBe(true);
    expect(ruleChecks(PIN, '123')).toEqual([{ rule: 'exact', met: false }]);
    expect(ruleChecks(PIN, '1234')).toEqual([{ rule: 'exact', met: true }]);
  });
});
