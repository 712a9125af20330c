/**
 * The trainer's virtual cards for the browser host: one card per persona in the card directory
 * (created on first start), and placing / taking one off the kiosk's virtual reader through a
 * vpcd slot daemon (native/vpcd/slots.ts), so the very same PC/SC path as a physical card is used.
 * Operations run one at a time: a second touch waits for the first.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TrainerResult, TrayCard, VirtualCardsView } from '../contract/trainer';
import { cardFilePath, isValidCardName, listCardNames, readCardFile } from '../../native/card/card-file';
import { createCard } from '../../native/card/issue';
import { PERSONA_IDS } from '../../native/card/personas';
import type { PcscReaderService } from '../../native/pcsc';
import { defaultRunDir, insertIntoSlot, liveSlotState, removeFromSlot, SlotError } from '../../native/vpcd/slots';
import type { TrainerBackend } from '../contract/backends';

const CARD_MODULE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../native/card/card-module.ts');

export interface VirtualCardDeskOptions {
  readonly cardDir: string;
  /** The vpcd slot of the kiosk's reader (0 = "Virtual PCD 00 00"). */
  readonly slot: number;
  /** The kiosk's running reader service, reused to watch the slot. */
  readonly service?: PcscReaderService;
  readonly runDir?: string;
}

export class VirtualCardDesk implements TrainerBackend {
  #queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: VirtualCardDeskOptions) {}

  /** Creates the persona cards that are missing (named after their persona). Returns the names made. */
  async ensurePersonaCards(): Promise<string[]> {
    const have = new Set(listCardNames(this.opts.cardDir));
    const made: string[] = [];
    for (const persona of PERSONA_IDS) {
      if (have.has(persona)) continue;
      await createCard(persona, { dir: this.opts.cardDir, name: persona });
      made.push(persona);
    }
    return made;
  }

  listCards(): Promise<VirtualCardsView> {
    return this.#serial(async () => this.#view());
  }

  placeCard(name: string): Promise<TrainerResult> {
    return this.#serial(async () => {
      if (!isValidCardName(name) || !fs.existsSync(cardFilePath(this.opts.cardDir, name))) return { ok: false, problem: 'no-such-card' };
      try {
        if (this.#held() !== undefined) await removeFromSlot(this.#slotOpts());
        await insertIntoSlot({ ...this.#slotOpts(), card: CARD_MODULE, arg: cardFilePath(this.opts.cardDir, name) });
      } catch (err) {
        return { ok: false, problem: problemOf(err) };
      }
      return { ok: true, cards: this.#view() };
    });
  }

  removeCard(): Promise<TrainerResult> {
    return this.#serial(async () => {
      try {
        await removeFromSlot(this.#slotOpts());
      } catch (err) {
        return { ok: false, problem: problemOf(err) };
      }
      return { ok: true, cards: this.#view() };
    });
  }

  #slotOpts() {
    return {
      slot: this.opts.slot,
      ...(this.opts.service !== undefined && { service: this.opts.service }),
      ...(this.opts.runDir !== undefined && { runDir: this.opts.runDir }),
    };
  }

  #held() {
    return liveSlotState(this.opts.runDir ?? defaultRunDir(), this.opts.slot);
  }

  #view(): VirtualCardsView {
    const cards: TrayCard[] = [];
    for (const name of listCardNames(this.opts.cardDir)) {
      try {
        const state = readCardFile(cardFilePath(this.opts.cardDir, name));
        cards.push({ name, persona: state.persona, holderName: state.holder.name });
      } catch {
        // A damaged card file is simply not offered.
      }
    }
    const held = this.#held();
    const placed = held === undefined ? null : (cards.find((c) => path.resolve(cardFilePath(this.opts.cardDir, c.name)) === path.resolve(held.arg))?.name ?? null);
    const status = this.opts.service?.state.status;
    return { available: status !== 'pcscd-unavailable' && status !== 'closed', cards, placed };
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn, fn);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}

function problemOf(err: unknown): 'reader-unavailable' | 'failed' {
  if (err instanceof SlotError && (err.code === 'PCSCD_UNAVAILABLE' || err.code === 'VPCD_UNREACHABLE')) return 'reader-unavailable';
  return 'failed';
}
