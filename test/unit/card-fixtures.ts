/**
 * Shared fixtures for the card tests: a temporary card directory, cards made from personas, and
 * fresh in-memory instances of them (so a test's PIN tries never leak into the next test).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { encodeCommand, fromHex, hex, type CommandApdu } from '../../native/apdu/apdu';
import { MemoryCardStore } from '../../native/card/card-file';
import { loadCard, type LoadedCard } from '../../native/card/card-module';
import { createCard } from '../../native/card/issue';
import { PERSONAS, type PersonaId } from '../../native/card/personas';

export function tempCardDir(prefix = 'kiosk-sim-card-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Creates each persona's card once per directory; returns the card file. */
export class CardFactory {
  private readonly files = new Map<PersonaId, Promise<string>>();
  constructor(readonly dir: string = tempCardDir()) {}

  file(persona: PersonaId): Promise<string> {
    let f = this.files.get(persona);
    if (f === undefined) {
      f = createCard(persona, { dir: this.dir }).then((c) => c.file);
      this.files.set(persona, f);
    }
    return f;
  }

  /** A fresh card from the persona's file, committing to memory (the file never changes). */
  async fresh(persona: PersonaId): Promise<{ card: LoadedCard; store: MemoryCardStore }> {
    const store = new MemoryCardStore();
    const card = loadCard(await this.file(persona), { store, lock: false });
    card.powerOn();
    return { card, store };
  }

  cleanup(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Sends hex (spaces allowed), returns the response as upper-case hex. */
export function tx(card: { transmit(a: Buffer): Buffer }, apduHex: string): string {
  return hex(card.transmit(fromHex(apduHex)));
}

export function txCmd(card: { transmit(a: Buffer): Buffer }, cmd: CommandApdu): Buffer {
  return card.transmit(encodeCommand(cmd));
}

export function swHex(responseHex: string): string {
  return responseHex.slice(-4);
}

export function ascii(s: string): string {
  return Buffer.from(s, 'ascii').toString('hex').toUpperCase();
}

/** `00 20 00 80 Lc <value>` */
export function verifyHex(value: string, p2 = '80'): string {
  return `002000${p2}${value.length.toString(16).padStart(2, '0')}${ascii(value)}`;
}

export function pinOf(persona: PersonaId, pin: 'auth' | 'sign' | 'text' | 'juki'): string {
  const v = PERSONAS[persona].pins[pin];
  if (typeof v !== 'string') throw new Error(`persona ${persona} has no known ${pin} PIN`);
  return v;
}

export const SELECT = {
  jpki: '00A4040C0AD392F000260100000001',
  text: '00A4040C0AD3921000310001010408',
  visual: '00A4040C0AD3921000310001010402',
  juki: '00A4040C0AD3921000310001010100',
  simulator: '00A4040C0AF06B696F736B2D73696D',
  ef: (fid: string) => `00A4020C02${fid}`,
} as const;
