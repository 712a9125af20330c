/**
 * A password value held by the core between the one intent that submitted it and the card command
 * that uses it. It cannot leak by accident: JSON, string conversion and Node's inspector all print
 * a placeholder; only `reveal()` gives the value, and only the card adapter calls it.
 */
const REDACTED = '[redacted]';

export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  /** Compares without exposing either value (length first, then every character). */
  equals(other: Secret): boolean {
    const a = this.#value;
    const b = other.#value;
    let diff = a.length ^ b.length;
    for (let i = 0; i < Math.max(a.length, b.length); i++) diff |= (a.charCodeAt(i) || 0) ^ (b.charCodeAt(i) || 0);
    return diff === 0;
  }

  toJSON(): string {
    return REDACTED;
  }

  toString(): string {
    return REDACTED;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return REDACTED;
  }
}
