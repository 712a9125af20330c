/**
 * Persistence: the card file is the chip's memory. Killing the card process at any instant leaves
 * the old state or the new one (never a mix, never an unreadable file), the host is never told
 * about a change that is not on disk yet, and tries left survive a restart.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { CardLock, readCardFile } from '../../native/card/card-file';
import type { CardFile } from '../../native/card/card-state';
import { loadCard } from '../../native/card/card-module';
import { createCard } from '../../native/card/issue';
import { revealPin } from '../../native/card/pin';
import { loadSimulatorKey, SIMULATOR_KEY_FILE } from '../../native/card/simulator-key';
import { SELECT, tempCardDir, tx, verifyHex } from './card-fixtures';

const here = path.dirname(fileURLToPath(import.meta.url));
const CHILD = path.join(here, 'card-crash-child.ts');
const root = tempCardDir('kiosk-sim-crash-');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

interface ChildRun {
  readonly lines: string[];
  readonly signal: NodeJS.Signals | null;
}

function runChild(file: string, killAt: number): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', CHILD, file, String(killAt)], { cwd: path.join(here, '..', '..') }, (err, stdout, stderr) => {
      const signal = (err as (Error & { signal?: NodeJS.Signals }) | null)?.signal ?? null;
      if (err && signal !== 'SIGKILL') return reject(new Error(`child failed: ${err.message}\n${stderr}`));
      resolve({ lines: stdout.trim().split('\n').filter(Boolean), signal });
    });
  });
}

/**
 * What a state means to a host: tries left and the value each PIN accepts, how many resets each
 * PIN's reset receipt counts (a reset's new value and its record must land together), and how
 * many challenges the card has given out.
 */
function meaning(dir: string, s: CardFile): string {
  const key = loadSimulatorKey(dir);
  const p = (pin: 'auth' | 'sign') => `${pin}:${s.pins[pin]!.triesLeft}:${revealPin(key, s.cardId, pin, s.pins[pin]!)}:r${s.resets?.[pin]?.count ?? 0}`;
  return `${p('auth')} ${p('sign')} c${s.challengesIssued ?? 0}`;
}

/** The states the child's script walks through, in order (see card-crash-child.ts). */
const STATES = [
  'auth:3:1234:r0 sign:5:ABC123:r0 c0',
  'auth:2:1234:r0 sign:5:ABC123:r0 c0',
  'auth:1:1234:r0 sign:5:ABC123:r0 c0',
  'auth:3:1234:r0 sign:5:ABC123:r0 c0',
  'auth:3:1234:r0 sign:5:NEWPASS1:r0 c0',
  'auth:3:1234:r0 sign:5:NEWPASS1:r0 c1',
  'auth:3:9876:r1 sign:5:NEWPASS1:r0 c1',
];

async function pool<T>(items: readonly T[], width: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

describe('kill at every write', () => {
  it('leaves the old or the new state after a SIGKILL before any file-system call, and never un-tells the host', async () => {
    const pristineDir = path.join(root, 'pristine');
    const { file: pristine } = await createCard('adult', { dir: pristineDir });
    expect(meaning(pristineDir, readCardFile(pristine))).toBe(STATES[0]);

    const copy = (tag: string): { dir: string; file: string } => {
      const dir = path.join(root, tag);
      fs.mkdirSync(dir);
      fs.copyFileSync(path.join(pristineDir, SIMULATOR_KEY_FILE), path.join(dir, SIMULATOR_KEY_FILE));
      const file = path.join(dir, path.basename(pristine));
      fs.copyFileSync(pristine, file);
      return { dir, file };
    };

    // A full run: how many file-system calls the script makes, and that it ends where expected.
    const full = copy('full');
    const complete = await runChild(full.file, 0);
    expect(complete.signal).toBeNull();
    const calls = Number(complete.lines.at(-1)?.replace('calls ', ''));
    expect(calls).toBeGreaterThanOrEqual(6 * 6); // ≥ open, write, fsync, close, rename, dir fsync per commit
    expect(meaning(full.dir, readCardFile(full.file))).toBe(STATES[6]);

    const found: number[] = [];
    await pool(Array.from({ length: calls }, (_, i) => i + 1), 4, async (killAt) => {
      const c = copy(`kill-${killAt}`);
      const run = await runChild(c.file, killAt);
      expect(run.signal, `kill at ${killAt}`).toBe('SIGKILL');
      // The file is whole and valid: never a half-written card.
      const state = readCardFile(c.file);
      // Every change the host was told about is on disk; at most the one in flight is ahead of it.
      // (States 0 and 3 mean the same, so the position is taken from what was acknowledged.)
      const acknowledged = run.lines.filter((l) => l.startsWith('commit')).length;
      const onDisk = meaning(c.dir, state);
      const index = [acknowledged, acknowledged + 1].find((i) => STATES[i] === onDisk);
      expect(index, `kill at ${killAt}: host told of ${acknowledged} changes, disk holds ${onDisk}`).toBeDefined();
      // The dead writer's temporary file is cleaned up on the next load and never read.
      expect(fs.readdirSync(c.dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
      // The card runs again after the crash (its lock died with the process).
      const card = loadCard(c.file);
      tx(card, SELECT.jpki);
      tx(card, SELECT.ef('0018'));
      expect(tx(card, '00200080')).toMatch(/^63C[0-3]$/);
      card.release();
      found[killAt] = index!;
    });
    // Killing later never finds an earlier state, and every state was seen on disk at some point.
    const seq = found.slice(1);
    expect(seq).toEqual([...seq].sort((a, b) => a - b));
    expect(new Set(seq)).toEqual(new Set([0, 1, 2, 3, 4, 5, 6]));
  }, 180_000);
});

describe('restart', () => {
  it('tries left survive a restart, as on a real chip', async () => {
    const dir = path.join(root, 'restart');
    const { file } = await createCard('adult', { dir });
    const first = loadCard(file);
    tx(first, SELECT.jpki);
    tx(first, SELECT.ef('001B'));
    expect(tx(first, verifyHex('WRONG1'))).toBe('63C4');
    expect(tx(first, verifyHex('WRONG2'))).toBe('63C3');
    first.release();
    const second = loadCard(file);
    tx(second, SELECT.jpki);
    tx(second, SELECT.ef('001B'));
    expect(tx(second, '00200080')).toBe('63C3');
    second.release();
  });

  it('one process at a time runs a card file; a dead owner\'s lock is taken over', async () => {
    const dir = path.join(root, 'lock');
    const { file } = await createCard('adult', { dir });
    const card = loadCard(file);
    expect(CardLock.owner(file)).toBe(process.pid);
    card.release();
    expect(CardLock.owner(file)).toBeUndefined();
    fs.writeFileSync(file + '.lock', '999999'); // no such process
    loadCard(file).release();
  });

  it('names the problem when a card file is missing, altered, or separated from its key', async () => {
    const dir = path.join(root, 'errors');
    const { file } = await createCard('adult', { dir });
    expect(() => loadCard(path.join(dir, 'nobody.card.json'))).toThrow(expect.objectContaining({ code: 'CARD_FILE_MISSING' }));
    const other = path.join(root, 'errors-elsewhere');
    fs.mkdirSync(other);
    fs.copyFileSync(file, path.join(other, 'moved.card.json'));
    expect(() => loadCard(path.join(other, 'moved.card.json'))).toThrow(expect.objectContaining({ code: 'SIMULATOR_KEY_MISSING' }));
    const state = JSON.parse(fs.readFileSync(file, 'utf8')) as { pins: { auth: { triesLeft: number } } };
    state.pins.auth.triesLeft = 9;
    fs.writeFileSync(file, JSON.stringify(state));
    expect(() => loadCard(file)).toThrow(expect.objectContaining({ code: 'CARD_FILE_INVALID' }));
  });
});
