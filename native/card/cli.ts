/**
 * `npm run card -- <command>`: the trainer's and tester's tool for virtual My Number cards
 * (see CARD_USAGE in cli-args.ts). Inserting uses the vpcd slot daemon (native/vpcd/slots.ts),
 * which loads this card through card-module.ts and holds it in the slot until `remove`.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultRunDir, insertIntoSlot, liveSlotState, removeFromSlot, SlotError } from '../vpcd/slots';
import { cardDir, cardFilePath, CardLock, listCardNames, readCardFile } from './card-file';
import { formatList, formatPersonas, formatStatus } from './card-report';
import { CardFileError } from './card-state';
import { CARD_USAGE, parseCardArgs, UsageError, type CardCommand } from './cli-args';
import { createCard } from './issue';
import { isPersonaId, PERSONA_IDS } from './personas';
import { loadSimulatorKey, SimulatorKeyError } from './simulator-key';

const CARD_MODULE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'card-module.ts');

/** A card named in the card directory, or a path to a card file. */
function resolveCardFile(dir: string, card: string): string {
  return card.includes('/') || card.endsWith('.card.json') ? path.resolve(card) : cardFilePath(dir, card);
}

async function run(cmd: CardCommand, dir: string): Promise<number> {
  switch (cmd.command) {
    case 'help':
      console.log(CARD_USAGE);
      return 0;
    case 'personas':
      console.log(formatPersonas());
      return 0;
    case 'create': {
      if (!isPersonaId(cmd.persona)) throw new UsageError(`unknown persona ${cmd.persona}; one of: ${PERSONA_IDS.join(', ')}`);
      const { file, state } = await createCard(cmd.persona, { dir, ...(cmd.name === undefined ? {} : { name: cmd.name }) });
      console.log(`created card ${state.name} (persona ${state.persona}, card id ${state.cardId}) in ${file}`);
      return 0;
    }
    case 'list': {
      const cards = listCardNames(dir).map((name) => {
        const file = cardFilePath(dir, name);
        try {
          return { state: readCardFile(file), inUseBy: CardLock.owner(file) };
        } catch (err) {
          return { name, error: err instanceof Error ? err.message : String(err) };
        }
      });
      console.log(formatList(cards));
      return 0;
    }
    case 'status': {
      const file = resolveCardFile(dir, cmd.card);
      const state = readCardFile(file);
      const opts = { inUseBy: CardLock.owner(file), ...(cmd.showPins ? { showPins: { key: loadSimulatorKey(path.dirname(file)) } } : {}) };
      console.log(formatStatus(state, opts));
      return 0;
    }
    case 'insert': {
      let file = resolveCardFile(dir, cmd.card);
      try {
        readCardFile(file);
      } catch (err) {
        if (!(err instanceof CardFileError && err.code === 'CARD_FILE_MISSING' && isPersonaId(cmd.card))) {
          if (err instanceof CardFileError && err.code === 'CARD_FILE_MISSING') {
            throw new CardFileError('CARD_FILE_MISSING', `no card named ${cmd.card} in ${dir}, and it is not a persona (${PERSONA_IDS.join(', ')})`);
          }
          throw err;
        }
        const created = await createCard(cmd.card, { dir });
        file = created.file;
        console.log(`created card ${created.state.name} (persona ${created.state.persona}, card id ${created.state.cardId})`);
      }
      const held = liveSlotState(defaultRunDir(), cmd.slot);
      if (held !== undefined) {
        const what = held.module === CARD_MODULE ? `card ${path.basename(held.arg, '.card.json')}` : held.card;
        throw new SlotError('SLOT_BUSY', `slot ${cmd.slot} holds ${what} (daemon pid ${held.pid}); remove it first: npm run card -- remove --slot ${cmd.slot}`);
      }
      const owner = CardLock.owner(file);
      if (owner !== undefined) throw new CardFileError('CARD_FILE_LOCKED', `card ${path.basename(file)} is already inserted (process ${owner}); remove it first`);
      const s = await insertIntoSlot({ slot: cmd.slot, card: CARD_MODULE, arg: file });
      console.log(`inserted ${path.basename(file, '.card.json')} into slot ${s.slot} (${s.reader}); pcscd sees it; ATR ${s.atr ?? '?'}`);
      return 0;
    }
    case 'remove': {
      const r = await removeFromSlot({ slot: cmd.slot });
      console.log(r.removed ? `removed ${path.basename(r.state?.arg ?? 'the card', '.card.json')} from slot ${cmd.slot}` : `slot ${cmd.slot} was empty`);
      return 0;
    }
  }
}

async function main(argv: readonly string[]): Promise<number> {
  let cmd: CardCommand;
  try {
    cmd = parseCardArgs(argv);
  } catch (err) {
    console.error(`${(err as Error).message}\n${CARD_USAGE}`);
    return 2;
  }
  try {
    return await run(cmd, cardDir());
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(err.message);
      return 2;
    }
    // Typed errors print their code and message (never a PIN: no message carries one).
    if (err instanceof CardFileError || err instanceof SlotError || err instanceof SimulatorKeyError) {
      console.error(`${err.code}: ${err.message}`);
      return 1;
    }
    throw err;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? `${(err as { code?: string }).code ?? 'ERROR'}: ${err.message}` : err);
    process.exit(1);
  },
);
