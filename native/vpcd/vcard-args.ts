/** The `npm run vcard` command line, parsed and printed (pure, for cli.ts and its tests). */
import type { SlotStatus } from './slots';

export type VcardCommand =
  | { readonly command: 'insert'; readonly slot: number; readonly card: string; readonly arg: string | undefined }
  | { readonly command: 'remove'; readonly slot: number }
  | { readonly command: 'status'; readonly json: boolean }
  | { readonly command: 'help' };

export const USAGE = `usage:
  npm run vcard -- insert [--slot 0|1] [CARD [ARG]]   insert a virtual card; it stays until removed
                                                     CARD: minimal (default), bare, or a module path
                                                     exporting createVirtualCard(arg)
  npm run vcard -- remove [--slot 0|1]               take the card out
  npm run vcard -- status [--json]                   what each slot holds`;

/** Parses the command line (without node and the script). Throws an Error with a message for the user. */
export function parseVcardArgs(argv: readonly string[]): VcardCommand {
  const [command, ...rest] = argv;
  const positional: string[] = [];
  let slot = 0;
  let json = false;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (a === '--slot' || a.startsWith('--slot=')) {
      const v = a === '--slot' ? rest[++i] : a.slice('--slot='.length);
      if (v !== '0' && v !== '1') throw new Error(`--slot takes 0 or 1, got ${v ?? 'nothing'}`);
      slot = Number(v);
    } else if (a === '--json') {
      json = true;
    } else if (a.startsWith('--')) {
      throw new Error(`unknown option ${a}`);
    } else {
      positional.push(a);
    }
  }
  switch (command) {
    case 'insert':
      if (positional.length > 2) throw new Error('insert takes at most CARD and ARG');
      return { command, slot, card: positional[0] ?? 'minimal', arg: positional[1] };
    case 'remove':
      if (positional.length > 0) throw new Error('remove takes no arguments but --slot');
      return { command, slot };
    case 'status':
      return { command, json };
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      return { command: 'help' };
    default:
      throw new Error(`unknown command ${command}`);
  }
}

export function formatStatus(slots: readonly SlotStatus[]): string {
  return slots
    .map((s) => {
      const card = s.card === undefined ? 'pcscd does not list this reader' : s.card.present ? `card ${s.card.atr.toString('hex').toUpperCase()}${s.card.mute ? ' (mute)' : ''}` : 'empty';
      const daemon = s.daemon ? `, daemon pid ${s.daemon.pid}: ${s.daemon.card}${s.daemon.arg && s.daemon.arg !== s.daemon.card ? ` ${s.daemon.arg}` : ''} since ${s.daemon.startedAt}${s.daemon.status === 'inserted' ? '' : ` (${s.daemon.status})`}` : '';
      return `slot ${s.slot}  ${s.reader}  ${card}${daemon}`;
    })
    .join('\n');
}

/** `status --json`: ATRs as hex strings. */
export function statusJson(slots: readonly SlotStatus[]): string {
  return JSON.stringify(
    slots.map((s) => ({ ...s, card: s.card && (s.card.present ? { ...s.card, atr: s.card.atr.toString('hex').toUpperCase() } : s.card) })),
    null,
    2,
  );
}
