/**
 * `npm run vcard -- <command>`: put virtual cards into the simulator's two vpcd slots and take
 * them out. The card stays inserted after the command returns (a slot daemon holds it; slots.ts).
 *
 *   npm run vcard -- insert [--slot N] [CARD [ARG]]   CARD: minimal (default) | bare | path to a card module
 *   npm run vcard -- remove [--slot N]
 *   npm run vcard -- status [--json]
 */
import { insertIntoSlot, removeFromSlot, SlotError, slotStatus } from './slots';
import { formatStatus, parseVcardArgs, statusJson, USAGE, type VcardCommand } from './vcard-args';

async function main(argv: readonly string[]): Promise<number> {
  let cmd: VcardCommand;
  try {
    cmd = parseVcardArgs(argv);
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  switch (cmd.command) {
    case 'help':
      console.log(USAGE);
      return 0;
    case 'insert': {
      const s = await insertIntoSlot({ slot: cmd.slot, card: cmd.card, arg: cmd.arg });
      console.log(`inserted ${s.card}${cmd.arg ? ` ${cmd.arg}` : ''} into slot ${s.slot} (${s.reader}); ATR ${s.atr ?? '?'}; daemon pid ${s.pid}`);
      return 0;
    }
    case 'remove': {
      const r = await removeFromSlot({ slot: cmd.slot });
      console.log(r.removed ? `removed ${r.state?.card ?? 'the card'} from slot ${cmd.slot}` : `slot ${cmd.slot} was empty`);
      return 0;
    }
    case 'status': {
      const slots = await slotStatus();
      console.log(cmd.json ? statusJson(slots) : formatStatus(slots));
      return 0;
    }
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof SlotError ? `${err.code}: ${err.message}` : err);
    process.exit(1);
  },
);
