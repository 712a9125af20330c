/**
 * The center's default storage: one SQLite file (better-sqlite3), WAL with synchronous=FULL, so a
 * write is on disk before its promise resolves and nothing acknowledged is lost to `kill -9` (or to
 * a power cut). The schema is versioned by sqlite-migrations.ts; rows map to records in sqlite-rows.ts.
 *
 * Group commit: writes that arrive in the same event-loop turn are applied in one transaction and
 * made durable by one fsync (if one of them fails, the batch is rolled back and its writes are
 * retried one per transaction, so a failing decision never undoes or fails the others). Under load from many kiosks this turns one fsync per request into one per batch, without
 * answering anyone before their write is on disk. Reads are grouped the same way into one deferred
 * read transaction per turn (after that turn's writes, so they see them): a WAL read transaction
 * costs more than the small lookups inside it. Cards and bookings are remembered between
 * transactions, write-through, and forgotten on a rollback or another connection's commit (see
 * `cards` below): a kiosk's reset then reads its card once, not once per call.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import type { MaintenanceWindow } from '../domain/hours';
import {
  DEFAULT_CENTER_SETTINGS,
  NO_LOCK,
  StorageError,
  type BookingRecord,
  type BookingWithHistory,
  type StorageChange,
  type CardState,
  type CenterStorage,
  type Decision,
  type LockRecord,
  type Settings,
} from './storage';
import { migrate, schemaVersionOf } from './sqlite-migrations';
import { BOOKING_COLUMNS, bookingColumnsOf, historyOf, toBooking, type BookingRow, type CardRow, type EventRow } from './sqlite-rows';


interface PendingWrite {
  run(): unknown;
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

export interface SqliteStorageOptions {
  /** How long a write waits for another process holding the database (ms). */
  readonly busyTimeoutMs?: number;
}

export class SqliteStorage implements CenterStorage {
  private readonly db: Database.Database;
  private readonly st;
  private pending: PendingWrite[] = [];
  private pendingReads: PendingWrite[] = [];
  private flushScheduled = false;
  private closed = false;

  constructor(
    readonly file: string,
    options: SqliteStorageOptions = {},
  ) {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    this.db = new Database(file);
    this.db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    // SQLite's own default page cache (2 MB; better-sqlite3 sets 16 MB), which holds a training
    // room's whole file. Every commit in which a B-tree page split (our updates grow rows, so most
    // batches split one) walks the whole cache: the split parks a page under the lock-page number,
    // and the end of the transaction then drops "pages past the end" by scanning every slot: the
    // smaller the cache, the shorter that scan, and 2 MB still holds the file's hot pages.
    this.db.pragma('cache_size = -2000');
    migrate(this.db);
    const db = this.db;
    this.st = {
      // One statement for a card (bound twice): a row with its lock (if any) and its newest sign
      // booking (if any), and a row with its newest auth booking if there is one: the booking's
      // columns plus consecutive_failures and locked_at, NULLs where there is nothing. UNION ALL,
      // not `b.seq IN (newest sign, newest auth)`: SQLite runs such an IN as a temporary B-tree
      // built and torn down per lookup.
      card: db
        .prepare<[string, string], CardRow>(
          `SELECT l.consecutive_failures, l.locked_at, ${bookingColumnsOf('b')}
           FROM (SELECT ? AS card_id) AS c
           LEFT JOIN app_locks AS l ON l.card_id = c.card_id
           LEFT JOIN bookings AS b ON b.seq = (SELECT MAX(seq) FROM bookings WHERE card_id = c.card_id AND kind = 'sign')
           UNION ALL
           SELECT NULL, NULL, ${bookingColumnsOf('b')}
           FROM bookings AS b
           WHERE b.seq = (SELECT MAX(seq) FROM bookings WHERE card_id = ? AND kind = 'auth')`,
        ),
      dataVersion: db.prepare<[], number>('PRAGMA data_version').pluck(),
      booking: db.prepare<[string], BookingRow>(`SELECT ${BOOKING_COLUMNS} FROM bookings WHERE id = ?`),
      events: db.prepare<[string], EventRow>('SELECT state, at, kiosk_id, request_id, note FROM booking_events WHERE booking_id = ? ORDER BY seq'),
      list: db.prepare<[number], BookingRow>('SELECT * FROM bookings ORDER BY seq DESC LIMIT ?'),
      listCard: db.prepare<[string, number], BookingRow>('SELECT * FROM bookings WHERE card_id = ? ORDER BY seq DESC LIMIT ?'),
      insertBooking: db.prepare(
        `INSERT INTO bookings (id, card_id, kind, state, via, completed_at, expires_at)
         VALUES (@id, @cardId, @kind, 'booked', @via, @completedAt, @expiresAt)`,
      ),
      toAuthorized: db.prepare<[string | null, string | null, string | null, number, number | null, number | null, string, string]>(
        `UPDATE bookings SET state = 'authorized', auth_kiosk_id = ?, auth_request_id = ?, auth_challenge = ?, authorized_at = ?,
         auth_reset_count = ?, auth_challenge_seq = ?
         WHERE id = ? AND state = ?`,
      ),
      // A released authorization leaves the row (it goes to the history as events).
      toReleased: db.prepare<[string]>(
        `UPDATE bookings SET state = 'booked', auth_kiosk_id = NULL, auth_request_id = NULL, auth_challenge = NULL,
         authorized_at = NULL, auth_reset_count = NULL, auth_challenge_seq = NULL
         WHERE id = ? AND state = 'authorized'`,
      ),
      toUsed: db.prepare<[string | null, string | null, number, string, string]>(
        `UPDATE bookings SET state = 'used', use_kiosk_id = ?, use_request_id = ?, used_at = ? WHERE id = ? AND state = ?`,
      ),
      toOther: db.prepare<[string, string, string]>('UPDATE bookings SET state = ? WHERE id = ? AND state = ?'),
      insertEvent: db.prepare(
        `INSERT INTO booking_events (booking_id, state, at, kiosk_id, request_id, note)
         VALUES (@bookingId, @state, @at, @kioskId, @requestId, @note)`,
      ),
      upsertLock: db.prepare(
        `INSERT INTO app_locks (card_id, consecutive_failures, locked_at) VALUES (@cardId, @failures, @lockedAt)
         ON CONFLICT (card_id) DO UPDATE SET consecutive_failures = excluded.consecutive_failures, locked_at = excluded.locked_at`,
      ),
      insertFaceCheck: db.prepare('INSERT INTO face_checks (card_id, at, passed) VALUES (?, ?, ?)'),
      settings: db.prepare<[], { key: string; value: string }>('SELECT key, value FROM settings'),
      putSetting: db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
    };
    // The fast path: the whole batch in one transaction, no savepoint per write (two statements
    // each). Any write that throws aborts the batch, which is then retried one write per
    // transaction, so one failing decision never undoes or fails the others.
    // Each transaction first checks that what this connection remembers is still what is stored.
    this.runBatch = this.db.transaction((batch: PendingWrite[]) => {
      this.revalidate();
      return batch.map((w) => w.run());
    });
    this.runOne = this.db.transaction((w: PendingWrite) => {
      this.revalidate();
      return w.run();
    });
    this.runReads = this.db.transaction((batch: PendingWrite[]) => {
      this.revalidate();
      return batch.map((w): { ok: true; value: unknown } | { ok: false; error: unknown } => {
        try {
          return { ok: true, value: w.run() };
        } catch (error) {
          return { ok: false, error };
        }
      });
    });
  }

  /** SQLite's data_version as of the last transaction: another connection's commit changes it. */
  private knownVersion = -1;

  private revalidate(): void {
    const version = this.st.dataVersion.get() as number;
    if (version === this.knownVersion) return;
    this.forget();
    this.knownVersion = version;
  }

  private forget(): void {
    this.cachedSettings = undefined;
  }

  private readonly runReads: Database.Transaction<(batch: PendingWrite[]) => Array<{ ok: true; value: unknown } | { ok: false; error: unknown }>>;

  private readonly runBatch: Database.Transaction<(batch: PendingWrite[]) => unknown[]>;
  private readonly runOne: Database.Transaction<(w: PendingWrite) => unknown>;

  private cardState(cardId: string): CardState {
    // Whichever row carries the lock (only one can), so nothing depends on the order of the rows.
    let lock: LockRecord = NO_LOCK;
    const latest: { sign?: BookingRecord; auth?: BookingRecord } = {};
    for (const r of this.st.card.all(cardId, cardId)) {
      if (r.consecutive_failures !== null) lock = { consecutiveFailures: r.consecutive_failures, lockedAt: r.locked_at };
      if (r.seq === null) continue;
      const b = toBooking(r as BookingRow);
      latest[b.kind] = b;
    }
    return { cardId, lock, latest };
  }

  private bookingState(bookingId: string): BookingRecord | undefined {
    const row = this.st.booking.get(bookingId);
    return row ? toBooking(row) : undefined;
  }

  private apply(cardId: string, changes: readonly StorageChange[]): void {
    for (const c of changes) {
      switch (c.type) {
        case 'add-booking': {
          const b = c.booking;
          this.st.insertBooking.run({ id: b.id, cardId: b.cardId, kind: b.kind, via: b.via, completedAt: b.completedAt, expiresAt: b.expiresAt });
          this.st.insertEvent.run({ bookingId: b.id, state: 'booked', at: b.completedAt, kioskId: null, requestId: null, note: c.note ?? null });
          break;
        }
        case 'transition':
          this.transition(c);
          break;
        case 'release':
          this.release(c);
          break;
        case 'set-lock': {
          this.st.upsertLock.run({ cardId, failures: c.lock.consecutiveFailures, lockedAt: c.lock.lockedAt });
          break;
        }
        case 'face-check':
          this.st.insertFaceCheck.run(cardId, c.at, c.passed ? 1 : 0);
          break;
      }
    }
  }

  private transition(c: Extract<StorageChange, { type: 'transition' }>): void {
    const kioskId = c.kioskId ?? null;
    const requestId = c.requestId ?? null;
    const n =
      c.to === 'authorized'
        ? this.st.toAuthorized.run(kioskId, requestId, c.challenge ?? null, c.at, c.resetCount ?? null, c.challengeSeq ?? null, c.bookingId, c.from).changes
        : c.to === 'used'
          ? this.st.toUsed.run(kioskId, requestId, c.at, c.bookingId, c.from).changes
          : this.st.toOther.run(c.to, c.bookingId, c.from).changes;
    // The decision saw the booking in `from` inside this same transaction, so this cannot
    // happen unless another writer broke the serialization: refuse rather than double-apply.
    if (n !== 1) throw new StorageError('CONFLICT', `booking ${c.bookingId} is no longer ${c.from}`);
    // Authorized and used are recorded in the row itself (see migration 2 and historyOf); a use
    // with a note (proved by the card's receipt) keeps its note as an event.
    if ((c.to !== 'authorized' && c.to !== 'used') || (c.to === 'used' && c.note !== undefined)) this.st.insertEvent.run({ bookingId: c.bookingId, state: c.to, at: c.at, kioskId, requestId, note: c.note ?? null });
  }

  private release(c: Extract<StorageChange, { type: 'release' }>): void {
    if (this.st.toReleased.run(c.bookingId).changes !== 1) throw new StorageError('CONFLICT', `booking ${c.bookingId} is no longer authorized`);
    // The row forgets the authorization; the history keeps it, and why it was given back.
    const a = c.authorization;
    this.st.insertEvent.run({ bookingId: c.bookingId, state: 'authorized', at: a.at, kioskId: a.kioskId, requestId: a.requestId, note: 'released later' });
    this.st.insertEvent.run({ bookingId: c.bookingId, state: 'booked', at: c.at, kioskId: null, requestId: null, note: c.note });
  }

  private enqueue<T>(run: () => T, queue: 'write' | 'read' = 'write'): Promise<T> {
    if (this.closed) return Promise.reject(new StorageError('CLOSED', 'storage is closed'));
    return new Promise<T>((resolve, reject) => {
      (queue === 'write' ? this.pending : this.pendingReads).push({ run, resolve: resolve as (v: unknown) => void, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.flushScheduled = false;
    this.flushWrites();
    const reads = this.pendingReads;
    this.pendingReads = [];
    if (reads.length === 0) return;
    let outcomes;
    try {
      // Deferred: a read never waits for another process's writer (WAL readers see the last commit).
      outcomes = this.runReads.deferred(reads);
    } catch (error) {
      for (const r of reads) r.reject(error);
      return;
    }
    settle(reads, outcomes);
  }

  private flushWrites(): void {
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    // IMMEDIATE takes the write lock before reading, so a second process on the same file can
    // never decide on a state this one is about to change.
    let values: unknown[];
    try {
      values = this.runBatch.immediate(batch);
    } catch (error) {
      // Rolled back: what was remembered during the batch may never have been stored.
      this.forget();
      if (batch.length === 1) batch[0]?.reject(error);
      else for (const w of batch) this.writeAlone(w);
      return;
    }
    batch.forEach((w, i) => w.resolve(values[i]));
  }

  /** One write in its own transaction: the slow path after a batch failed as a whole. */
  private writeAlone(w: PendingWrite): void {
    let value: unknown;
    try {
      value = this.runOne.immediate(w);
    } catch (error) {
      this.forget();
      w.reject(error);
      return;
    }
    w.resolve(value);
  }

  readCard(cardId: string): Promise<CardState> {
    return this.enqueue(() => this.cardState(cardId), 'read');
  }

  readCardWithSettings(cardId: string): Promise<{ card: CardState; settings: Settings }> {
    return this.enqueue(() => ({ card: this.cardState(cardId), settings: this.settingsNow() }), 'read');
  }

  updateCard<T>(cardId: string, decide: (card: CardState, settings: Settings) => Decision<T>): Promise<T> {
    return this.enqueue(() => {
      const d = decide(this.cardState(cardId), this.settingsNow());
      this.apply(cardId, d.changes);
      return d.result;
    });
  }

  updateBooking<T>(bookingId: string, decide: (booking: BookingRecord | undefined, settings: Settings) => Decision<T>): Promise<T> {
    return this.enqueue(() => {
      const booking = this.bookingState(bookingId);
      const d = decide(booking, this.settingsNow());
      if (d.changes.length > 0) {
        if (!booking) throw new StorageError('CONFLICT', 'changes for a booking that does not exist');
        this.apply(booking.cardId, d.changes);
      }
      return d.result;
    });
  }

  readBooking(bookingId: string): Promise<BookingWithHistory | undefined> {
    return this.enqueue(() => {
      const booking = this.bookingState(bookingId);
      return booking ? { booking, history: historyOf(booking, this.st.events.all(bookingId)) } : undefined;
    }, 'read');
  }

  listBookings(query: { readonly cardId?: string; readonly limit: number }): Promise<BookingWithHistory[]> {
    return this.enqueue(() => {
      const rows = query.cardId !== undefined ? this.st.listCard.all(query.cardId, query.limit) : this.st.list.all(query.limit);
      return rows.map((r) => {
        const booking = toBooking(r);
        return { booking, history: historyOf(booking, this.st.events.all(r.id)) };
      });
    }, 'read');
  }

  readSettings(): Promise<Settings> {
    return this.enqueue(() => this.settingsNow(), 'read');
  }

  /**
   * Settings are read on every request, so they are remembered: forgotten when another
   * connection (another process on the same file) commits, replaced when this one writes them, so
   * a trainer's change is seen at once either way.
   */
  private cachedSettings: Settings | undefined;

  private settingsNow(): Settings {
    this.cachedSettings ??= this.loadSettings();
    return this.cachedSettings;
  }

  private loadSettings(): Settings {
    let settings: Settings = DEFAULT_CENTER_SETTINGS;
    for (const { key, value } of this.st.settings.all()) {
      if (key === 'clock_offset_ms') settings = { ...settings, clockOffsetMs: Number(value) };
      if (key === 'maintenance') settings = { ...settings, maintenance: JSON.parse(value) as MaintenanceWindow[] };
    }
    return settings;
  }

  writeSettings(patch: Partial<Settings>): Promise<Settings> {
    return this.enqueue(() => {
      if (patch.clockOffsetMs !== undefined) this.st.putSetting.run('clock_offset_ms', String(patch.clockOffsetMs));
      if (patch.maintenance !== undefined) this.st.putSetting.run('maintenance', JSON.stringify(patch.maintenance));
      this.cachedSettings = this.loadSettings();
      return this.cachedSettings;
    });
  }

  /** Writes what is queued, then closes the file (WAL checkpointed by SQLite on the last close). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    this.db.close();
  }

  /** The applied schema version. */
  schemaVersion(): number {
    return schemaVersionOf(this.db);
  }
}

function settle(batch: readonly PendingWrite[], outcomes: ReadonlyArray<{ ok: true; value: unknown } | { ok: false; error: unknown }>): void {
  outcomes.forEach((o, i) => {
    const w = batch[i];
    if (!w) return;
    if (o.ok) w.resolve(o.value);
    else w.reject(o.error);
  });
}

export function openSqliteStorage(file: string, options?: SqliteStorageOptions): SqliteStorage {
  return new SqliteStorage(file, options);
}
