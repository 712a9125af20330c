/** `npm run vcard`'s command line and the slot helpers that need no pcscd. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { summarize } from '../../bench/apdu.bench';
import { BUILTIN_CARDS, checkSlot, liveSlotState, resolveCard, SlotError, stateFile } from '../../native/vpcd/slots';
import { createVirtualCard, MinimalJpkiCard, BareResponder } from '../../native/vpcd/test-cards';
import { slotPort, virtualReaderName } from '../../native/vpcd/transport';
import { formatStatus, parseVcardArgs, statusJson } from '../../native/vpcd/vcard-args';

const ATR = Buffer.from('3BE000FF8131FE4514', 'hex');

describe('vcard command line', () => {
  it.each([
    [['insert'], { command: 'insert', slot: 0, card: 'minimal', arg: undefined }],
    [['insert', '--slot', '1', 'cards/card.ts', 'alice.json'], { command: 'insert', slot: 1, card: 'cards/card.ts', arg: 'alice.json' }],
    [['insert', '--slot=1'], { command: 'insert', slot: 1, card: 'minimal', arg: undefined }],
    [['remove', '--slot', '1'], { command: 'remove', slot: 1 }],
    [['remove'], { command: 'remove', slot: 0 }],
    [['status', '--json'], { command: 'status', json: true }],
    [[], { command: 'help' }],
    [['--help'], { command: 'help' }],
  ])('%j', (argv, expected) => {
    expect(parseVcardArgs(argv)).toEqual(expected);
  });

  it.each([
    [['insert', '--slot', '2'], /--slot takes 0 or 1/],
    [['insert', '--slot'], /--slot takes 0 or 1/],
    [['insert', 'a', 'b', 'c'], /at most CARD and ARG/],
    [['remove', 'minimal'], /no arguments/],
    [['status', '--verbose'], /unknown option/],
    [['eject'], /unknown command/],
  ])('%j is refused', (argv, message) => {
    expect(() => parseVcardArgs(argv)).toThrow(message);
  });

  it('prints each slot on one line, and JSON with hex ATRs', () => {
    const slots = [
      {
        slot: 0,
        reader: 'Virtual PCD 00 00',
        daemon: { slot: 0, pid: 42, reader: 'Virtual PCD 00 00', card: 'minimal', module: '/m.ts', arg: 'minimal', status: 'inserted' as const, atr: '3BE0', startedAt: '2026-01-01T00:00:00.000Z' },
        card: { present: true as const, atr: ATR, mute: false },
      },
      { slot: 1, reader: 'Virtual PCD 00 01', daemon: undefined, card: { present: false as const } },
    ];
    expect(formatStatus(slots)).toBe(
      'slot 0  Virtual PCD 00 00  card 3BE000FF8131FE4514, daemon pid 42: minimal since 2026-01-01T00:00:00.000Z\n' + 'slot 1  Virtual PCD 00 01  empty',
    );
    expect(JSON.parse(statusJson(slots))[0].card).toEqual({ present: true, atr: '3BE000FF8131FE4514', mute: false });
  });
});

describe('slot helpers', () => {
  it('names readers and ports by slot', () => {
    expect(virtualReaderName(0)).toBe('Virtual PCD 00 00');
    expect(virtualReaderName(1)).toBe('Virtual PCD 00 01');
    expect(slotPort(1)).toBe(35964);
    // Further pairs: one reader.conf entry each, named apart (native/pcscd/reader-config.ts).
    expect(virtualReaderName(2)).toBe('Virtual PCD 01 00 00');
    expect(virtualReaderName(15)).toBe('Virtual PCD 07 00 01');
    expect(slotPort(15)).toBe(35978);
    expect(() => virtualReaderName(16)).toThrow(RangeError);
    expect(checkSlot(1)).toBe(1);
    expect(checkSlot(15)).toBe(15);
    expect(() => checkSlot(16)).toThrow(SlotError);
    expect(() => checkSlot(-1)).toThrow(SlotError);
  });

  it('resolves built-in cards and module paths', async () => {
    expect(resolveCard('minimal', undefined)).toEqual({ module: BUILTIN_CARDS.minimal!.module, arg: 'minimal' });
    expect(resolveCard('native/vpcd/test-cards.ts', 'bare', path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')).arg).toBe('bare');
    expect(() => resolveCard('no/such/card.ts', undefined)).toThrow(/no card module/);
    expect(await createVirtualCard('minimal')).toBeInstanceOf(MinimalJpkiCard);
    expect(await createVirtualCard('bare')).toBeInstanceOf(BareResponder);
    await expect(createVirtualCard('other')).rejects.toThrow(/unknown card/);
  });

  it('treats a state file whose daemon is gone as stale and deletes it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vcard-unit-'));
    try {
      // A pid that is certainly not a slot daemon: this test process.
      fs.writeFileSync(stateFile(dir, 1), JSON.stringify({ slot: 1, pid: process.pid }));
      expect(liveSlotState(dir, 1)).toBeUndefined();
      expect(fs.existsSync(stateFile(dir, 1))).toBe(false);
      expect(liveSlotState(dir, 0)).toBeUndefined();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('benchmark statistics', () => {
  it('takes nearest-rank percentiles', () => {
    const times = Array.from({ length: 1000 }, (_, i) => (i + 1) / 1000);
    expect(summarize(times)).toEqual({ p50Ms: 0.5, p99Ms: 0.99, meanMs: 0.5005, minMs: 0.001, maxMs: 1, totalMs: 500.5 });
  });
});
