/**
 * The classroom's reader.conf: entry 0 is Debian's own (so a single kiosk's readers keep their
 * names), each further pair of slots an entry of its own name on the next ports, and no more than
 * pcscd's sixteen readers.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { entriesFor, readerConfig, VPCD_DRIVER, writeReaderConfig } from '../../native/pcscd/reader-config';
import { slotPort, virtualReaderName } from '../../native/vpcd/transport';

describe('reader.conf for the classroom', () => {
  it('starts with Debian’s own vpcd entry', () => {
    const text = readerConfig(2);
    expect(text.match(/^FRIENDLYNAME .*$/gm)).toEqual(['FRIENDLYNAME "Virtual PCD"']);
    expect(text).toContain('CHANNELID    0x8C7B');
  });

  it('gives sixteen slots eight entries, each on its first slot’s port, all named apart', () => {
    const text = readerConfig(16);
    const names = [...text.matchAll(/^FRIENDLYNAME "(.*)"$/gm)].map((m) => m[1]);
    const channels = [...text.matchAll(/^CHANNELID +0x([0-9A-F]+)$/gm)].map((m) => Number.parseInt(m[1] as string, 16));
    expect(names).toEqual(['Virtual PCD', 'Virtual PCD 01', 'Virtual PCD 02', 'Virtual PCD 03', 'Virtual PCD 04', 'Virtual PCD 05', 'Virtual PCD 06', 'Virtual PCD 07']);
    expect(channels).toEqual([0, 2, 4, 6, 8, 10, 12, 14].map(slotPort));
    // pcscd appends "00 0<slot>" to an entry's name: the names the stations look for.
    expect(new Set(Array.from({ length: 16 }, (_, s) => virtualReaderName(s))).size).toBe(16);
    expect(virtualReaderName(13)).toBe(`${names[6]} 00 01`);
  });

  it('gives each entry past Debian’s its own copy of the vpcd driver (vpcd keeps its slots in one static array)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reader-conf-'));
    try {
      const text = fs.readFileSync(writeReaderConfig(dir, 16), 'utf8');
      const drivers = [...text.matchAll(/^LIBPATH +(.*)$/gm)].map((m) => m[1] as string);
      expect(drivers[0]).toBe(VPCD_DRIVER);
      expect(new Set(drivers).size).toBe(8);
      for (const d of drivers.slice(1)) expect(fs.readFileSync(d).equals(fs.readFileSync(VPCD_DRIVER))).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses more readers than one pcscd holds', () => {
    expect(entriesFor(3)).toBe(2);
    expect(() => readerConfig(17)).toThrow(/1 to 16/);
    expect(() => readerConfig(0)).toThrow(RangeError);
  });
});
