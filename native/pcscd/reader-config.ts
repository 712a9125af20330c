/**
 * The reader.conf of a pcscd with more virtual readers than Debian's: the classroom's stations each
 * read their own vpcd slot. Entry 0 is Debian's own (FRIENDLYNAME "Virtual PCD", channel 0x8C7B:
 * slots 0 and 1, so a single kiosk sees the readers it always did); entry p adds slots 2p and 2p+1
 * under a name of its own (native/vpcd/transport.ts virtualReaderName).
 *
 * pcscd holds at most MAX_VPCD_SLOTS readers, so at most eight entries: past sixteen stations a room
 * runs a second host (another machine, or this one in its own network and mount namespace, since
 * Debian's pcscd 1.9 always listens on /run/pcscd/pcscd.comm) joined to the same console.
 */
import fs from 'node:fs';
import path from 'node:path';
import { MAX_VPCD_SLOTS, slotPort } from '../vpcd/transport';

export const VPCD_DRIVER = '/usr/lib/pcsc/drivers/serial/libifdvpcd.so';

/** vpcd entries (two slots each) needed for `slots` virtual readers. */
export function entriesFor(slots: number): number {
  if (!Number.isInteger(slots) || slots < 1 || slots > MAX_VPCD_SLOTS) {
    throw new RangeError(`a pcscd holds 1 to ${MAX_VPCD_SLOTS} virtual readers, asked for ${slots}`);
  }
  return Math.ceil(slots / 2);
}

/**
 * reader.conf text with enough vpcd entries for `slots` readers. `driverOf(p)`: the driver file of
 * entry p. vpcd keeps its connections in a static array indexed by slot (0 and 1) alone, so two
 * entries of one loaded driver would share them; each entry past the first loads its own copy of
 * the driver file (writeReaderConfig makes them), and so its own array.
 */
export function readerConfig(slots: number, driverOf: (entry: number) => string = () => VPCD_DRIVER): string {
  const lines: string[] = ['# Written by kiosk-sim (native/pcscd/reader-config.ts): vpcd slots for the classroom stations.'];
  for (let p = 0; p < entriesFor(slots); p++) {
    const channel = `0x${slotPort(2 * p).toString(16).toUpperCase()}`;
    const name = p === 0 ? 'Virtual PCD' : `Virtual PCD ${String(p).padStart(2, '0')}`;
    lines.push('', `FRIENDLYNAME "${name}"`, `DEVICENAME   /dev/null:${channel}`, `LIBPATH      ${driverOf(p)}`, `CHANNELID    ${channel}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Writes the configuration and the driver copies it names into `dir` (created); returns the configuration's path. */
export function writeReaderConfig(dir: string, slots: number): string {
  fs.mkdirSync(dir, { recursive: true });
  const driverOf = (p: number) => (p === 0 ? VPCD_DRIVER : path.join(dir, `libifdvpcd-${p}.so`));
  for (let p = 1; p < entriesFor(slots); p++) fs.copyFileSync(VPCD_DRIVER, driverOf(p));
  const file = path.join(dir, 'reader.conf');
  fs.writeFileSync(file, readerConfig(slots, driverOf));
  return file;
}
