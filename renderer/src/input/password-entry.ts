/**
 * The on-screen keypads' state: what has been typed so far, whether it is shown, and the live
 * hints under the field. Pure, so every key and rule is unit-tested without a DOM.
 *
 * The typed value lives only here, in the password screen's own component state — never in the
 * Pinia store, never in a snapshot — and is submitted once (see the contract's header comment).
 * The format rule is the one in electron/domain/passwords, the same the card and the core apply.
 */
import { passwordFormatProblem, type PasswordFormatProblem, type ResetKind } from '@domain/passwords';

export type InputMode = 'numeric' | 'alphanumeric';

/** What a password field accepts, as the snapshot's screen describes it. */
export interface FieldSpec {
  readonly password: ResetKind;
  readonly inputMode: InputMode;
  readonly minLength: number;
  readonly maxLength: number;
}

export interface Entry {
  readonly value: string;
  /** Shown in clear instead of masked (the citizen chose 表示する). */
  readonly revealed: boolean;
}

export const EMPTY_ENTRY: Entry = { value: '', revealed: false };

export const DIGIT_KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'] as const;
/** A–Z in alphabetical order, as store terminals lay them out for the general public (not QWERTY). */
export const LETTER_KEYS = Array.from({ length: 26 }, (_, i) => String.fromCharCode(65 + i));

const KEY_PATTERN: Record<InputMode, RegExp> = { numeric: /^[0-9]$/, alphanumeric: /^[A-Z0-9]$/ };

/** Whether `key` is one the field's keypad offers. */
export function isKeyFor(mode: InputMode, key: string): boolean {
  return KEY_PATTERN[mode].test(key);
}

/** A key press. Keys the keypad does not offer and presses beyond the maximum length change nothing. */
export function pressKey(entry: Entry, key: string, field: FieldSpec): Entry {
  if (!isKeyFor(field.inputMode, key) || entry.value.length >= field.maxLength) return entry;
  return { ...entry, value: entry.value + key };
}

export function deleteLast(entry: Entry): Entry {
  return entry.value.length === 0 ? entry : { ...entry, value: entry.value.slice(0, -1) };
}

export function clearEntry(entry: Entry): Entry {
  return entry.value.length === 0 ? entry : { ...entry, value: '' };
}

export function toggleReveal(entry: Entry): Entry {
  return { ...entry, revealed: !entry.revealed };
}

/** Mask character for a hidden entry. */
export const MASK = '●';

/** What the field shows: the characters or one mask per character. */
export function displayValue(entry: Entry): string {
  return entry.revealed ? entry.value : MASK.repeat(entry.value.length);
}

export function canSubmit(entry: Entry, field: FieldSpec): boolean {
  return passwordFormatProblem(field.password, entry.value) === null;
}

/** One line of the checklist under a new-password field. */
export interface RuleCheck {
  readonly rule: 'length' | 'exact' | 'letter' | 'digit';
  readonly met: boolean;
}

/** The format rules as a live checklist (signature password: length, a letter, a digit; PIN: N digits). */
export function ruleChecks(field: FieldSpec, value: string): RuleCheck[] {
  const lengthOk = value.length >= field.minLength && value.length <= field.maxLength;
  if (field.password === 'auth') return [{ rule: 'exact', met: lengthOk && /^[0-9]+$/.test(value) }];
  return [
    { rule: 'length', met: lengthOk },
    { rule: 'letter', met: /[A-Z]/.test(value) },
    { rule: 'digit', met: /[0-9]/.test(value) },
  ];
}

/**
 * The live message under the field. `info` while the value is simply not finished (empty, too
 * short): nothing is wrong yet; `error` when the value breaks a rule however it goes on; `ok` when
 * it may be submitted.
 */
export type LiveHint =
  | { readonly tone: 'ok' }
  | { readonly tone: 'info' | 'error'; readonly problem: PasswordFormatProblem | 'exact'; readonly min: number; readonly max: number };

export function liveHint(field: FieldSpec, value: string): LiveHint {
  const problem = passwordFormatProblem(field.password, value);
  if (problem === null) return { tone: 'ok' };
  const { minLength: min, maxLength: max } = field;
  // A PIN has one length: "4桁で入力してください" says it better than "4桁以上".
  const shown = problem === 'too-short' && min === max ? 'exact' : problem;
  const unfinished = problem === 'empty' || problem === 'too-short';
  // Letters-or-digits missing while still short: the citizen may be about to type them.
  const early = (problem === 'needs-letter' || problem === 'needs-digit') && value.length < max;
  return { tone: unfinished || early ? 'info' : 'error', problem: shown, min, max };
}
