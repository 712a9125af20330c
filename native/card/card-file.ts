/**
 * Card files on disk: where they live, atomic writes, loading, and the store the card commits to.
 *
 * Every change is written write-then-rename: the new state goes to a temporary file in the same
 * directory, which is fsynced, renamed over the card file, and the directory is fsynced. rename(2)
 * is atomic, so a reader (or a card restarted after being killed at any instant) finds either the
 * whole old file or the whole new one, never a mix. The card answers only after this returns.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CardFileError, validateCardFile, type CardFile } from './card-state';

export const CARD_FILE_SUFFIX = '.card.json';

/** `$KIOSK_SIM_CARD_DIR`, else `~/.kiosk-sim/cards`. */
export function cardDir(env: NodeJS.ProcessEnv = process.env): string {
  const d = env.KIOSK_SIM_CARD_DIR;
  return d !== undefined && d !== '' ? path.resolve(d) : path.join(os.homedir(), '.kiosk-sim', 'cards');
}

/** Card names are file-name safe so a name can never point outside the card directory. */
export function isValidCardName(name: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name) && !name.endsWith('.');
}

export function cardFilePath(dir: string, name: string): string {
  if (!isValidCardName(name)) {
    throw new CardFileError('CARD_FILE_INVALID', `card name ${JSON.stringify(name)} must be 1–64 letters, digits, '.', '_' or '-'`);
  }
  return path.join(dir, name + CARD_FILE_SUFFIX);
}

/** Names of the cards in `dir`, sorted. */
export function listCardNames(dir: string): string[] {
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return entries
    .filter((f) => f.endsWith(CARD_FILE_SUFFIX))
    .map((f) => f.slice(0, -CARD_FILE_SUFFIX.length))
    .sort();
}

/**
 * The file-system calls an atomic write makes. Production passes node:fs; the kill-at-every-write
 * test passes a wrapper that SIGKILLs the process before a chosen call.
 */
export interface AtomicWriteFs {
  openSync(path: string, flags: string, mode?: number): number;
  writeSync(fd: number, buffer: Uint8Array, offset: number, length: number): number;
  fsyncSync(fd: number): void;
  closeSync(fd: number): void;
  renameSync(from: string, to: string): void;
}

export const nodeFs: AtomicWriteFs = {
  openSync: (p, flags, mode) => fs.openSync(p, flags, mode),
  writeSync: (fd, b, o, l) => fs.writeSync(fd, b, o, l),
  fsyncSync: (fd) => fs.fsyncSync(fd),
  closeSync: (fd) => fs.closeSync(fd),
  renameSync: (a, b) => fs.renameSync(a, b),
};

/** Writes in chunks of this size; small enough that a crash mid-file is a case the tests reach. */
const WRITE_CHUNK = 4096;

function tempPathFor(file: string): string {
  return `${file}.${process.pid}.tmp`;
}

/** Write-then-rename with fsync of the file and of the directory. */
export function writeFileAtomic(file: string, data: Uint8Array, ops: AtomicWriteFs = nodeFs, opts: { exclusive?: boolean } = {}): void {
  const tmp = tempPathFor(file);
  const fd = ops.openSync(tmp, 'w', 0o600);
  try {
    for (let off = 0; off < data.length; ) {
      off += ops.writeSync(fd, data, off, Math.min(WRITE_CHUNK, data.length - off));
    }
    ops.fsyncSync(fd);
  } finally {
    ops.closeSync(fd);
  }
  if (opts.exclusive) {
    // A new card must not replace an existing one: link fails if the name is taken.
    try {
      fs.linkSync(tmp, file);
    } catch (err) {
      fs.rmSync(tmp, { force: true });
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new CardFileError('CARD_FILE_EXISTS', `a card file already exists at ${file}`);
      }
      throw err;
    }
    fs.rmSync(tmp, { force: true });
  } else {
    ops.renameSync(tmp, file);
  }
  const dirFd = ops.openSync(path.dirname(file), 'r');
  try {
    ops.fsyncSync(dirFd);
  } finally {
    ops.closeSync(dirFd);
  }
}

export function serializeCardFile(state: CardFile): Buffer {
  return Buffer.from(JSON.stringify(state, null, 2) + '\n', 'utf8');
}

/** Reads and validates a card file. Leftover temporary files of dead writers are removed. */
export function readCardFile(file: string): CardFile {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new CardFileError('CARD_FILE_MISSING', `no card file at ${file} (see \`npm run card -- list\`, or create one with \`npm run card -- create <persona>\`)`);
    }
    throw err;
  }
  removeStaleTemps(file);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CardFileError('CARD_FILE_INVALID', `${file} is not valid JSON`);
  }
  return validateCardFile(parsed, path.basename(file));
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A writer killed between write and rename leaves `<file>.<pid>.tmp`; it is never read, only removed. */
export function removeStaleTemps(file: string): void {
  const dir = path.dirname(file);
  const base = path.basename(file) + '.';
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const n of names) {
    if (!n.startsWith(base) || !n.endsWith('.tmp')) continue;
    const pid = Number(n.slice(base.length, -'.tmp'.length));
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && !pidAlive(pid)) fs.rmSync(path.join(dir, n), { force: true });
  }
}

/** Where the card persists its state. `commit` must be durable when it returns. */
export interface CardStore {
  commit(next: CardFile): void;
}

export class FileCardStore implements CardStore {
  constructor(
    readonly file: string,
    private readonly ops: AtomicWriteFs = nodeFs,
  ) {}

  commit(next: CardFile): void {
    writeFileAtomic(this.file, serializeCardFile(next), this.ops);
  }
}

/** For in-process tests and the fuzzer: keeps the committed states in memory. */
export class MemoryCardStore implements CardStore {
  readonly commits: CardFile[] = [];
  commit(next: CardFile): void {
    this.commits.push(next);
  }
}

/**
 * One process at a time may run a card file (two slots writing one file would lose counter
 * updates, which a real chip cannot do). The lock is `<file>.lock` holding the owner's pid; a lock
 * whose owner died is taken over.
 */
export class CardLock {
  private constructor(private readonly lockFile: string) {}

  static acquire(cardFile: string): CardLock {
    const lockFile = cardFile + '.lock';
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx', mode: 0o600 });
        return new CardLock(lockFile);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const owner = Number(fs.readFileSync(lockFile, 'utf8').trim());
        if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && pidAlive(owner)) {
          throw new CardFileError('CARD_FILE_LOCKED', `card ${path.basename(cardFile)} is in use by process ${owner} (inserted in a slot?)`);
        }
        fs.rmSync(lockFile, { force: true });
      }
    }
    throw new CardFileError('CARD_FILE_LOCKED', `cannot lock ${cardFile}`);
  }

  /** The pid holding the card, if a live process does. */
  static owner(cardFile: string): number | undefined {
    try {
      const pid = Number(fs.readFileSync(cardFile + '.lock', 'utf8').trim());
      return Number.isInteger(pid) && pid > 0 && pidAlive(pid) ? pid : undefined;
    } catch {
      return undefined;
    }
  }

  release(): void {
    try {
      if (fs.readFileSync(this.lockFile, 'utf8').trim() === String(process.pid)) fs.rmSync(this.lockFile, { force: true });
    } catch {
      /* already gone */
    }
  }
}
