/** The `npm run card` command line, parsed (pure, for cli.ts and its tests). */
import { isValidCardName } from './card-file';

export type CardCommand =
  | { readonly command: 'personas' }
  | { readonly command: 'create'; readonly persona: string; readonly name: string | undefined }
  | { readonly command: 'list' }
  | { readonly command: 'insert'; readonly card: string; readonly slot: 0 | 1 }
  | { readonly command: 'remove'; readonly slot: 0 | 1 }
  | { readonly command: 'status'; readonly card: string; readonly showPins: boolean }
  | { readonly command: 'help' };

export const CARD_USAGE = `usage: npm run card -- <command>
  personas                          the ready personas and their PINs
  create <persona> [--name N]       make a card file from a persona (name defaults to the persona id)
  list                              the cards in the card directory
  insert <card|persona> [--slot 0|1]  put a card (or a new card of that persona) into a vpcd slot;
                                    returns once pcscd sees it; it stays until \`remove\` (default slot 0)
  remove [--slot 0|1]               take the card out of the slot
  status <card> [--show-pins]       tries left, certificates, holder data (PIN values with --show-pins)
card directory: $KIOSK_SIM_CARD_DIR, else ~/.kiosk-sim/cards`;

export class UsageError extends Error {
  readonly code = 'USAGE';
}

export function parseCardArgs(argv: readonly string[]): CardCommand {
  const [command, ...rest] = argv;
  const positional: string[] = [];
  let slot: 0 | 1 = 0;
  let name: string | undefined;
  let showPins = false;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    const value = (flag: string) => (a === flag ? rest[++i] : a.slice(flag.length + 1));
    if (a === '--slot' || a.startsWith('--slot=')) {
      const v = value('--slot');
      if (v !== '0' && v !== '1') throw new UsageError(`--slot takes 0 or 1, got ${v ?? 'nothing'}`);
      slot = v === '0' ? 0 : 1;
    } else if (a === '--name' || a.startsWith('--name=')) {
      const v = value('--name');
      if (v === undefined || !isValidCardName(v)) throw new UsageError(`--name takes 1–64 letters, digits, '.', '_' or '-'`);
      name = v;
    } else if (a === '--show-pins') {
      showPins = true;
    } else if (a.startsWith('--')) {
      throw new UsageError(`unknown option ${a}`);
    } else {
      positional.push(a);
    }
  }
  const one = (what: string): string => {
    if (positional.length !== 1) throw new UsageError(`${command} takes exactly one ${what}`);
    return positional[0]!;
  };
  const none = () => {
    if (positional.length > 0) throw new UsageError(`${command} takes no arguments`);
  };
  switch (command) {
    case 'personas':
      none();
      return { command };
    case 'create':
      return { command, persona: one('persona'), name };
    case 'list':
      none();
      return { command };
    case 'insert':
      return { command, card: one('card or persona'), slot };
    case 'remove':
      none();
      return { command, slot };
    case 'status':
      return { command, card: one('card'), showPins };
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      return { command: 'help' };
    default:
      throw new UsageError(`unknown command ${command}`);
  }
}
