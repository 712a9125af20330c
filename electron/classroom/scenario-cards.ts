/**
 * The scenario set-up's cards over a real card folder (the one `npm run card` and the trainer's card
 * tray use): a card is issued as `npm run card -- create` issues a persona's, and opened in this
 * process, with its file lock, to play the card's side of a reset that happened elsewhere.
 */
import fs from 'node:fs';
import path from 'node:path';
import { directChannel, JpkiClient } from '../jpki';
import type { ResetKind } from '../domain/passwords';
import { cardFilePath, CardLock, readCardFile, serializeCardFile, writeFileAtomic } from '../../native/card/card-file';
import { loadCard } from '../../native/card/card-module';
import { createCardFrom } from '../../native/card/issue';
import { cardCounters, type CardCounters } from './card-observation';
import type { CardPlan, ScenarioCards, ScenarioCardSession } from './scenario-setup';

export interface CardFolderOptions {
  /** Center master key the card's reset key is diversified from; default the environment's. */
  readonly masterKey?: Uint8Array;
}

export class CardFolder implements ScenarioCards {
  readonly dir: string;

  constructor(
    dir: string,
    private readonly opts: CardFolderOptions = {},
  ) {
    this.dir = path.resolve(dir);
  }

  file(name: string): string {
    return cardFilePath(this.dir, name);
  }

  async issue(name: string, plan: CardPlan): Promise<{ cardId: string }> {
    const file = this.file(name);
    const owner = CardLock.owner(file);
    // Replacing a card under a running card process would leave that process writing a stale card.
    if (owner !== undefined) throw new Error(`card ${name} is in use by process ${owner} (on a reader?): take it off first`);
    fs.rmSync(file, { force: true });
    const { state } = await createCardFrom(plan.persona, {
      dir: this.dir,
      name,
      now: new Date(plan.now),
      ...(this.opts.masterKey !== undefined && { masterKey: this.opts.masterKey }),
    });
    if (plan.presentAs !== undefined) writeFileAtomic(file, serializeCardFile({ ...readCardFile(file), presentAs: plan.presentAs }));
    return { cardId: state.cardId };
  }

  async counters(name: string): Promise<CardCounters> {
    return cardCounters(this.file(name));
  }

  async open(name: string): Promise<ScenarioCardSession> {
    const card = loadCard(this.file(name));
    try {
      const client = new JpkiClient(directChannel(card));
      // The JPKI client sends a changing command only to a card it has identified as a simulator card.
      await client.identify();
      return {
        getChallenge: () => client.getChallenge(),
        readResetReceipt: (kind: ResetKind) => client.readResetReceipt(kind),
        externalAuthenticate: (kind: ResetKind, mac: Uint8Array) => client.externalAuthenticate(kind, mac),
        resetRetryCounter: (kind: ResetKind, value: string) => client.resetRetryCounter(kind, value),
        close: async () => card.release(),
      };
    } catch (err) {
      card.release();
      throw err;
    }
  }
}
