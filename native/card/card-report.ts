/**
 * What `npm run card -- status|list|personas` print: plain text for trainers. PIN values appear
 * only when `--show-pins` asked for them (unsealed with the card directory's simulator key).
 */
import crypto from 'node:crypto';
import { challengesIssuedOf, resetReceiptOf, type CardFile } from './card-state';
import { PERSONA_IDS, PERSONAS, type PersonaPin } from './personas';
import { PIN_IDS, PIN_POLICIES, revealPin, type PinId } from './pin';
import type { SimulatorKey } from './simulator-key';

function certLine(label: string, set: CardFile['certificates']['auth'], now: number): string {
  if (set.status === 'not-issued' || set.cert === undefined) return `${label}: not issued`;
  const c = new crypto.X509Certificate(Buffer.from(set.cert, 'base64'));
  const notAfter = new Date(c.validTo);
  const expired = now > notAfter.getTime();
  const state = set.status === 'lapsed' ? 'LAPSED (失効)' : expired ? 'EXPIRED' : 'valid';
  return `${label}: ${state}, serial ${c.serialNumber}, valid until ${notAfter.toISOString().slice(0, 10)}`;
}

export function tries(state: CardFile, pin: PinId): string {
  const r = state.pins[pin];
  if (r === undefined) return 'none';
  const max = PIN_POLICIES[pin].maxTries;
  return r.triesLeft === 0 ? `LOCKED (0/${max})` : `${r.triesLeft}/${max}`;
}

/**
 * Center-authorized resets per resettable PIN and the challenges given out, as the card's reset
 * receipt (reset-receipt.ts) reports them.
 */
export function resetsLine(state: CardFile): string {
  const parts = (['auth', 'sign'] as const)
    .filter((kind) => state.pins[kind] !== undefined)
    .map((kind) => {
      const r = resetReceiptOf(state, kind, null);
      return r.lastChallenge === null ? `${kind} ${r.resetCount}` : `${kind} ${r.resetCount} (last by challenge ${r.lastChallenge})`;
    });
  return `resets (center-authorized): ${parts.join(', ')}; challenges given out: ${challengesIssuedOf(state)}`;
}

export interface StatusOptions {
  /** Unseal and print the PIN values. */
  readonly showPins?: { readonly key: SimulatorKey };
  /** Who runs the card now (the slot daemon's pid), if anyone. */
  readonly inUseBy?: number;
  readonly now?: number;
}

export function formatStatus(state: CardFile, opts: StatusOptions = {}): string {
  const now = opts.now ?? Date.now();
  const h = state.holder;
  const cardExpired = now > new Date(h.cardExpiry + 'T23:59:59Z').getTime();
  const lines = [
    `card ${state.name}  (persona ${state.persona}; ${state.notice})`,
    `  card id (auth certificate serial): ${state.cardId}`,
    `  in use: ${opts.inUseBy === undefined ? 'no' : `yes, by process ${opts.inUseBy} (inserted in a slot)`}`,
    `  holder: ${h.name}, born ${h.birthDate}, sex ${h.sex === '1' ? 'male' : h.sex === '2' ? 'female' : 'n/a'}`,
    `  address: ${h.address}`,
    `  my number: ${h.myNumber}   security code: ${h.securityCode}`,
    `  card expiry: ${h.cardExpiry}${cardExpired ? ' (EXPIRED)' : ''}`,
    `  ${certLine('auth certificate', state.certificates.auth, now)}`,
    `  ${certLine('sign certificate', state.certificates.sign, now)}`,
    '  tries left:',
  ];
  for (const pin of PIN_IDS) {
    const value = opts.showPins && state.pins[pin] ? `  PIN ${revealPin(opts.showPins.key, state.cardId, pin, state.pins[pin])}` : '';
    lines.push(`    ${pin.padEnd(8)} ${tries(state, pin).padEnd(12)} ${PIN_POLICIES[pin].labelJa}${value}`);
  }
  lines.push(`  ${resetsLine(state)}`);
  if (!opts.showPins) lines.push('  (PIN values: add --show-pins)');
  return lines.join('\n');
}

export function formatList(cards: ReadonlyArray<{ state: CardFile; inUseBy: number | undefined } | { name: string; error: string }>): string {
  if (cards.length === 0) return 'no cards yet: npm run card -- create <persona>';
  return cards
    .map((c) =>
      'error' in c
        ? `${c.name.padEnd(18)} (unreadable: ${c.error})`
        : `${c.state.name.padEnd(18)} ${c.state.persona.padEnd(13)} ${c.state.cardId}  ${c.state.holder.name}  auth ${tries(c.state, 'auth')}, sign ${tries(c.state, 'sign')}${c.inUseBy === undefined ? '' : `  [inserted, pid ${c.inUseBy}]`}`,
    )
    .join('\n');
}

const pinText = (p: PersonaPin | null): string => (p === null ? '—' : typeof p === 'string' ? p : '(random)');

export function formatPersonas(): string {
  const rows = PERSONA_IDS.map((id) => {
    const p = PERSONAS[id];
    const locked = Object.entries(p.triesLeft ?? {}).map(([pin, n]) => `${pin} ${n} tries`).join(', ');
    return `${id.padEnd(13)} ${p.titleJa} / ${p.titleEn}\n${' '.repeat(14)}auth ${pinText(p.pins.auth)}  sign ${pinText(p.pins.sign)}  入力補助 ${pinText(p.pins.text)}  住基 ${pinText(p.pins.juki)}${locked ? `  (${locked})` : ''}\n${' '.repeat(14)}kiosk: ${p.kioskOutcome}`;
  });
  return rows.join('\n');
}
