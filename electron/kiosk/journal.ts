/**
 * The durable journal of in-flight resets (jpki-card.md §10 step 6): an entry is on disk before
 * the card is written, and settled after the center confirms. A kiosk that dies in between finds
 * the entry on restart and confirms it then, so the reservation ends up used exactly once.
 *
 * Append-only JSON lines, each append fsync'ed before the call returns (and the directory fsync'ed
 * when the file is created), so an acknowledged step survives a crash or power cut. A torn last line
 * (a crash during the append itself) is ignored: that step was never acknowledged.
 * Holds ids only — never a password.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ConfirmRequest, JournalEntry, JournalState, ReservationCenter, ResetJournal } from './ports';
import { CenterError } from './ports';

const STATES: readonly JournalState[] = ['writing', 'card-reset', 'not-reset', 'confirmed'];

/** States whose card may carry the new password while the center has not recorded it. */
const UNSETTLED: ReadonlySet<JournalState> = new Set(['writing', 'card-reset']);

interface Line extends Partial<ConfirmRequest> {
  readonly entryId: string;
  readonly state: JournalState;
  readonly at: number;
}

function isLine(v: unknown): v is Line {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return typeof o.entryId === 'string' && typeof o.at === 'number' && STATES.includes(o.state as JournalState);
}

export class FileResetJournal implements ResetJournal {
  constructor(
    readonly file: string,
    private readonly realNow: () => number = Date.now,
  ) {}

  async begin(req: ConfirmRequest): Promise<JournalEntry> {
    const entry: JournalEntry = {
      entryId: crypto.randomUUID(),
      cardId: req.cardId,
      kind: req.kind,
      reservationId: req.reservationId,
      authorizationId: req.authorizationId,
      state: 'writing',
      at: this.realNow(),
    };
    this.#append(entry);
    return entry;
  }

  async mark(entryId: string, state: Exclude<JournalState, 'writing'>): Promise<void> {
    this.#append({ entryId, state, at: this.realNow() });
  }

  async unsettled(): Promise<JournalEntry[]> {
    return [...this.#entries().values()].filter((e) => UNSETTLED.has(e.state));
  }

  /** Every entry with its latest state (for tests and diagnostics). */
  async all(): Promise<JournalEntry[]> {
    return [...this.#entries().values()];
  }

  /**
   * Rewrites the file with only the unsettled entries, so it does not grow forever. Atomic:
   * written to a temporary file, fsync'ed, renamed over the journal, directory fsync'ed.
   */
  async compact(): Promise<void> {
    const all = [...this.#entries().values()];
    const keep = all.filter((e) => UNSETTLED.has(e.state));
    if (keep.length === all.length) return; // nothing settled to drop (or no journal yet)
    const tmp = `${this.file}.compact.tmp`;
    const fd = fs.openSync(tmp, 'w', 0o600);
    try {
      fs.writeSync(fd, keep.map((e) => JSON.stringify(e) + '\n').join(''));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, this.file);
    fsyncDir(path.dirname(this.file));
  }

  #entries(): Map<string, JournalEntry> {
    const byId = new Map<string, JournalEntry>();
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return byId;
      throw err;
    }
    for (const raw of text.split('\n')) {
      if (raw.trim() === '') continue;
      let v: unknown;
      try {
        v = JSON.parse(raw);
      } catch {
        continue; // a torn line from a crash mid-append: that step was never acknowledged
      }
      if (!isLine(v)) continue;
      const prev = byId.get(v.entryId);
      if (prev === undefined) {
        if (v.state !== 'writing' || v.cardId === undefined || v.kind === undefined || v.reservationId === undefined || v.authorizationId === undefined) continue;
        byId.set(v.entryId, { entryId: v.entryId, cardId: v.cardId, kind: v.kind, reservationId: v.reservationId, authorizationId: v.authorizationId, state: v.state, at: v.at });
      } else {
        byId.set(v.entryId, { ...prev, state: v.state, at: v.at });
      }
    }
    return byId;
  }

  #append(line: Line): void {
    const dir = path.dirname(this.file);
    const created = !fs.existsSync(this.file);
    if (created) fs.mkdirSync(dir, { recursive: true });
    const fd = fs.openSync(this.file, 'a+', 0o600);
    try {
      // A line that a previous crash left without its newline would swallow this one: start clean.
      const lead = created || endsWithNewline(fd) ? '' : '\n';
      fs.writeSync(fd, lead + JSON.stringify(line) + '\n');
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    if (created) fsyncDir(dir);
  }
}

function endsWithNewline(fd: number): boolean {
  const size = fs.fstatSync(fd).size;
  if (size === 0) return true;
  const last = Buffer.alloc(1);
  fs.readSync(fd, last, 0, 1, size - 1);
  return last[0] === 0x0a;
}

function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some file systems refuse fsync on a directory; the file's own fsync still holds.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

export interface SettleReport {
  readonly confirmed: number;
  /** Still unsettled (center unavailable): retried on the next call. */
  readonly pending: number;
}

/**
 * Confirms every unsettled entry with the center. Called at start-up and before each new session.
 * A center that says the reservation is already confirmed has what it needs: settled too.
 */
export async function settleJournal(journal: ResetJournal, center: ReservationCenter): Promise<SettleReport> {
  let confirmed = 0;
  let pending = 0;
  for (const e of await journal.unsettled()) {
    try {
      await center.confirm({ cardId: e.cardId, kind: e.kind, reservationId: e.reservationId, authorizationId: e.authorizationId });
      await journal.mark(e.entryId, 'confirmed');
      confirmed++;
    } catch (err) {
      if (err instanceof CenterError && err.code === 'CENTER_REFUSED' && err.refusal === 'already-confirmed') {
        await journal.mark(e.entryId, 'confirmed');
        confirmed++;
      } else {
        pending++;
      }
    }
  }
  // With nothing left in flight, settled history can go (the session record keeps the outcomes).
  if (journal.compact !== undefined) {
    const still = await journal.unsettled();
    if (still.length === pending) await journal.compact().catch(() => undefined);
  }
  return { confirmed, pending };
}
