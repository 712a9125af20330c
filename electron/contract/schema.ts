/**
 * Shared building blocks of the window.kiosk contract: closed objects, the few enums every audience
 * uses, and the validation at the boundary (check / parse / ContractError). TypeBox + pure
 * TypeScript only: the renderer imports the contract (no Node APIs here).
 */
import Type, { type Static, type TSchema } from 'typebox';
import { Value } from 'typebox/value';
import type { ChainId } from '../domain/chains';
import type { PasswordFormatProblem, ResetKind } from '../domain/passwords';

/** Objects on the wire are closed: an unknown field is a malformed message, not something to ignore. */
export function Closed<P extends Parameters<typeof Type.Object>[0]>(properties: P) {
  return Type.Object(properties, { additionalProperties: false });
}

/** Compile-time check that a schema's static type and a domain type are the same set of values. */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export function assertSame<_T extends true>(): void {}

export const ResetKindSchema = Type.Enum(['sign', 'auth']);
assertSame<Same<Static<typeof ResetKindSchema>, ResetKind>>();

export const ChainIdSchema = Type.Enum(['seven-eleven', 'familymart', 'lawson', 'ministop', 'aeon', 'other-fujifilm']);
assertSame<Same<Static<typeof ChainIdSchema>, ChainId>>();

export const LanguageSchema = Type.Enum(['ja', 'en']);
export type Language = Static<typeof LanguageSchema>;

export const PasswordFormatProblemSchema = Type.Enum([
  'empty',
  'too-short',
  'too-long',
  'digits-only-allowed',
  'invalid-character',
  'needs-letter',
  'needs-digit',
]);
assertSame<Same<Static<typeof PasswordFormatProblemSchema>, PasswordFormatProblem>>();

/** Epoch milliseconds (simulated clock where it says so). */
export const EpochMs = Type.Number({ minimum: 0 });
export const Seconds = Type.Integer({ minimum: 0, maximum: 86_400 });
/** Longest value any password field accepts on the wire; the core checks the real format. */
export const PASSWORD_WIRE_MAX = 32;

export const InputModeSchema = Type.Enum(['numeric', 'alphanumeric']);

/** The password shown on a password screen, with the limits the keypad needs. */
export const PasswordFieldProps = {
  /** Which password is asked (label + keypad: 'auth' = 4 digits, 'sign' = 6–16 A–Z/0–9). */
  password: ResetKindSchema,
  inputMode: InputModeSchema,
  minLength: Type.Integer({ minimum: 1 }),
  maxLength: Type.Integer({ minimum: 1 }),
};

/** A virtual card's file name: what placeCard takes and what the app's card is named by. */
export const CardNameSchema = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$' });

// ---------------------------------------------------------------------------------------------
// Validation at the boundary (used by the WebSocket server and client, and by IPC handlers)

/**
 * Where and why a value failed its schema: JSON pointers and JSON Schema keywords only. Never the
 * offending value — a malformed intent may carry a password.
 */
export interface ContractProblem {
  readonly path: string;
  readonly keyword: string;
}

export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problems: readonly ContractProblem[] };

export class ContractError extends Error {
  readonly code = 'INVALID_MESSAGE';
  constructor(
    readonly what: string,
    readonly problems: readonly ContractProblem[],
  ) {
    // Paths and keywords only: safe to log.
    super(`invalid ${what}: ${problems.map((p) => `${p.path || '/'} ${p.keyword}`).join('; ')}`);
    this.name = 'ContractError';
  }
}

/**
 * Checks `value` against `schema`. Uses TypeBox's interpreting checker (Value.Check), not the JIT
 * compiler: the renderer runs under a CSP without 'unsafe-eval', and these messages are small.
 */
export function check<S extends TSchema>(schema: S, value: unknown): Checked<Static<S>> {
  if (Value.Check(schema, value)) return { ok: true, value: value as Static<S> };
  const problems = Value.Errors(schema, value)
    .slice(0, 10)
    .map((e) => ({ path: e.instancePath, keyword: e.keyword }));
  return { ok: false, problems: problems.length > 0 ? problems : [{ path: '', keyword: 'schema' }] };
}

/** Like `check`, but throws a ContractError (code INVALID_MESSAGE). */
export function parse<S extends TSchema>(what: string, schema: S, value: unknown): Static<S> {
  const r = check(schema, value);
  if (!r.ok) throw new ContractError(what, r.problems);
  return r.value;
}

/** A text in both kiosk languages (a classroom task, a scenario's title). */
export const BilingualSchema = Closed({ ja: Type.String({ maxLength: 2000 }), en: Type.String({ maxLength: 2000 }) });
export type Bilingual = Static<typeof BilingualSchema>;
