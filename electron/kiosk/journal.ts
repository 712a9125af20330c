/**
 * The durable journal of in-flight resets (docs/reset-protocol.md): an entry is on disk before the
 * card is written, and settled when the center has recorded what the card did — confirmed when the
 * card took the new password, released when it did not. A kiosk that dies in between finds the entry
 * on restart and settles it then; an entry whose card left mid-write waits for the card's receipt
 * (the next time that card is placed here), so the reservation is spent exactly when the card changed.
 *
 * Append-only JSON lines, each append fsync'ed before the call returns (and the directory fsync'ed
 * when the file is created), so an acknowledged step survives a crash or power cut. A torn last line
 * (a crash during the append itself) is ignored: that step was never acknowledged.
 * Holds ids only — never a password.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { judgeAuthorization, parseResetReceipt } from '../../native/jpki/reset-receipt';
import type { JournalBegin, JournalEntry, JournalState, ReservationCenter, ResetJournal } from './ports';
import { CenterError } from './ports';

const STATES: readonly JournalState[] = ['writing', 'card-reset', 'not-reset', 'confirmed', 'released'];

/** States the center has not yet heard the end of. */
const UNSETTLED: ReadonlySet<JournalState> = new Set(['writing', 'card-reset', 'not-reset']);

interface Line extends Partial<JournalBegin> {
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

  async begin(req: JournalBegin): Promise<JournalEntry> {
    const entry: JournalEntry = {
      entryId: crypto.randomUUID(),
      cardId: req.cardId,
      kind: req.kind,
      reservationId: req.reservationId,
      authorizationId: req.authorizationId,
      challenge: req.challenge,
      resetCount: req.resetCount,
      challengeSeq: req.challengeSeq,
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
        byId.set(v.entryId, {
          entryId: v.entryId,
          cardId: v.cardId,
          kind: v.kind,
          reservationId: v.reservationId,
          authorizationId: v.authorizationId,
          // An entry written before receipts existed has no challenge: only a confirm can settle it.
          challenge: typeof v.challenge === 'string' ? v.challenge : '',
          resetCount: typeof v.resetCount === 'number' ? v.resetCount : null,
          challengeSeq: typeof v.challengeSeq === 'number' ? v.challengeSeq : null,
          state: v.state,
          at: v.at,
        });
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
  /** Given back to the center: the card never took the reset. */
  readonly released: number;
  /** Still unsettled (center unavailable): retried on the next call. */
  readonly pending: number;
  /** The card left mid-write: settled when its receipt is read (the card placed here again). */
  readonly awaitingCard: number;
}

/**
 * What the card's receipt says about an entry still `writing`: whether the card took that reset.
 * Null when it cannot tell (docs/reset-protocol.md, judgeAuthorization).
 */
export function entryOutcome(entry: JournalEntry, receipt: Uint8Array): 'card-reset' | 'not-reset' | null {
  const r = parseResetReceipt(receipt);
  if (r === null || entry.challenge === '') return null;
  switch (judgeAuthorization(entry, r)) {
    case 'used':
      return 'card-reset';
    case 'unused':
      return 'not-reset';
    case 'unknown':
      return null;
  }
}

/** Whether a refusal says the center already counts the reservation as used. */
const alreadyUsed = (err: unknown) => err instanceof CenterError && err.code === 'CENTER_REFUSED' && err.refusal === 'already-confirmed';

/**
 * Tells the center what became of every entry it has not heard the end of: `card-reset` →
 * confirm; `not-reset` → release. Called at start-up, before each session, and when a card's
 * receipt settles an entry. A center that already counts the reservation used has what it needs.
 * Entries still `writing` wait for the card's receipt (resolveWithReceipt).
 */
export async function settleJournal(journal: ResetJournal, center: ReservationCenter): Promise<SettleReport> {
  let confirmed = 0;
  let released = 0;
  let pending = 0;
  let awaitingCard = 0;
  for (const e of await journal.unsettled()) {
    const req = { cardId: e.cardId, kind: e.kind, reservationId: e.reservationId, authorizationId: e.authorizationId };
    if (e.state === 'writing') {
      awaitingCard++;
      continue;
    }
    try {
      if (e.state === 'card-reset') await center.confirm(req);
      else await center.release({ ...req, reason: 'not-sent' });
      await journal.mark(e.entryId, e.state === 'card-reset' ? 'confirmed' : 'released');
      if (e.state === 'card-reset') confirmed++;
      else released++;
    } catch (err) {
      if (alreadyUsed(err)) {
        await journal.mark(e.entryId, 'confirmed');
        confirmed++;
      } else {
        pending++;
      }
    }
  }
  // With nothing left to tell the center, settled history can go (the session record keeps the outcomes).
  if (journal.compact !== undefined && pending === 0) await journal.compact().catch(() => undefined);
  return { confirmed, released, pending, awaitingCard };
}

/**
 * Settles this card's entries still `writing` from its receipt for their kind (read by the caller
 * with `readReceipt`, once per kind), then tells the center. Returns the entries' outcomes.
 */
export async function resolveWithReceipt(
  journal: ResetJournal,
  center: ReservationCenter,
  cardId: string,
  readReceipt: (kind: JournalEntry['kind']) => Promise<Uint8Array | null>,
): Promise<{ readonly reset: number; readonly notReset: number }> {
  const waiting = (await journal.unsettled()).filter((e) => e.state === 'writing' && e.cardId === cardId);
  let reset = 0;
  let notReset = 0;
  const receipts = new Map<JournalEntry['kind'], Uint8Array | null>();
  for (const e of waiting) {
    if (!receipts.has(e.kind)) receipts.set(e.kind, await readReceipt(e.kind));
    const receipt = receipts.get(e.kind);
    if (receipt === null || receipt === undefined) continue;
    const outcome = entryOutcome(e, receipt);
    if (outcome === null) continue;
    await journal.mark(e.entryId, outcome);
    if (outcome === 'card-reset') reset++;
    else notReset++;
  }
  if (reset + notReset > 0) await settleJournal(journal, center).catch(() => undefined);
  return { reset, notReset };
}
