/**
 * The center's SQLite schema, as versioned migrations recorded in `schema_migrations`. Append only:
 * a released migration is never edited, a change is a new version.
 */
import type Database from 'better-sqlite3';
import { StorageError } from './storage';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
  /**
   * The migration rebuilds a table that others reference: SQLite's procedure for that turns
   * foreign keys off around the transaction (a DROP would otherwise check them against a table
   * that is being replaced) and runs `foreign_key_check` before committing.
   */
  readonly rebuildsTable?: boolean;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'bookings, history, face-check locks, settings',
    sql: `
      CREATE TABLE bookings (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        card_id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('sign', 'auth')),
        state TEXT NOT NULL CHECK (state IN ('booked', 'authorized', 'used', 'expired', 'replaced')),
        via TEXT NOT NULL CHECK (via IN ('app', 'admin')),
        completed_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        auth_kiosk_id TEXT,
        auth_request_id TEXT,
        auth_challenge TEXT,
        authorized_at INTEGER,
        use_kiosk_id TEXT,
        use_request_id TEXT,
        used_at INTEGER,
        -- Belt and braces for "authorize once, confirm once": the states that need a record have one.
        CHECK (state NOT IN ('authorized', 'used') OR authorized_at IS NOT NULL),
        CHECK (state <> 'used' OR used_at IS NOT NULL)
      );
      CREATE INDEX bookings_by_card ON bookings (card_id, kind, seq);
      CREATE TABLE booking_events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        booking_id TEXT NOT NULL REFERENCES bookings (id),
        state TEXT NOT NULL,
        at INTEGER NOT NULL,
        kiosk_id TEXT,
        request_id TEXT,
        note TEXT
      );
      CREATE INDEX booking_events_by_booking ON booking_events (booking_id, seq);
      CREATE TABLE app_locks (
        card_id TEXT PRIMARY KEY,
        consecutive_failures INTEGER NOT NULL,
        locked_at INTEGER
      );
      CREATE TABLE face_checks (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        card_id TEXT NOT NULL,
        at INTEGER NOT NULL,
        passed INTEGER NOT NULL
      );
      CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `,
  },
  {
    // An authorize or a confirm wrote the same fact twice: into the booking's auth_*/use_* columns
    // and as a history row. The row is the record (its UPDATE is what makes "once" hold); the
    // history of those two steps is read from it, which halves the writes of a kiosk reset. Only
    // exact copies of the row's columns are deleted, so nothing the row does not hold is lost.
    version: 2,
    name: 'authorized and used history is read from the booking row',
    sql: `
      DELETE FROM booking_events
       WHERE note IS NULL AND EXISTS (
         SELECT 1 FROM bookings AS b
          WHERE b.id = booking_events.booking_id
            AND ((booking_events.state = 'authorized' AND b.authorized_at = booking_events.at
                  AND b.auth_kiosk_id IS booking_events.kiosk_id AND b.auth_request_id IS booking_events.request_id)
              OR (booking_events.state = 'used' AND b.used_at = booking_events.at
                  AND b.use_kiosk_id IS booking_events.kiosk_id AND b.use_request_id IS booking_events.request_id)));
    `,
  },
  {
    // The state CHECK of version 1 was `state IN (five names)`. SQLite codes an IN list of more than
    // two constants as a temporary B-tree that it builds afresh on every INSERT and UPDATE that sets
    // the state: a page cache, two zeroed pages and five inserts on every authorize and confirm. The
    // same rule as comparisons costs a few instructions. A CHECK cannot be altered in place, so the
    // table is rebuilt by SQLite's own procedure: same columns, rows, seq values and AUTOINCREMENT
    // counter, same index; booking_events' foreign key names the table, so it follows the rename.
    // The two-name IN lists (kind, via) are coded as comparisons already and stay as they are.
    version: 3,
    name: 'booking state checked by comparisons, not by a temporary table per write',
    rebuildsTable: true,
    sql: `
      CREATE TABLE bookings_v3 (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        card_id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('sign', 'auth')),
        state TEXT NOT NULL CHECK (state = 'booked' OR state = 'authorized' OR state = 'used' OR state = 'expired' OR state = 'replaced'),
        via TEXT NOT NULL CHECK (via IN ('app', 'admin')),
        completed_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        auth_kiosk_id TEXT,
        auth_request_id TEXT,
        auth_challenge TEXT,
        authorized_at INTEGER,
        use_kiosk_id TEXT,
        use_request_id TEXT,
        used_at INTEGER,
        CHECK (state NOT IN ('authorized', 'used') OR authorized_at IS NOT NULL),
        CHECK (state <> 'used' OR used_at IS NOT NULL)
      );
      INSERT INTO bookings_v3 (seq, id, card_id, kind, state, via, completed_at, expires_at, auth_kiosk_id, auth_request_id, auth_challenge, authorized_at, use_kiosk_id, use_request_id, used_at)
        SELECT seq, id, card_id, kind, state, via, completed_at, expires_at, auth_kiosk_id, auth_request_id, auth_challenge, authorized_at, use_kiosk_id, use_request_id, used_at FROM bookings;
      -- The counter, not MAX(seq): a seq once handed out is never handed out again.
      DELETE FROM sqlite_sequence WHERE name = 'bookings_v3';
      INSERT INTO sqlite_sequence (name, seq) SELECT 'bookings_v3', seq FROM sqlite_sequence WHERE name = 'bookings';
      DROP TABLE bookings;
      ALTER TABLE bookings_v3 RENAME TO bookings;
      CREATE INDEX bookings_by_card ON bookings (card_id, kind, seq);
    `,
  },
  {
    // An authorization now records what the card's receipt said when it was given (its reset count
    // and challenge number), so a later receipt can prove it used or unused (docs/reset-protocol.md).
    // Older rows keep NULL there: only a receipt showing their very challenge settles them.
    version: 4,
    name: 'authorizations record the card receipt they were given on',
    sql: `
      ALTER TABLE bookings ADD COLUMN auth_reset_count INTEGER;
      ALTER TABLE bookings ADD COLUMN auth_challenge_seq INTEGER;
    `,
  },
];

/** The newest migration recorded in the file (0 for a new file). */
export function schemaVersionOf(db: Database.Database): number {
  return (db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null }).v ?? 0;
}

/** Brings the file's schema up to the newest migration; refuses a file from a newer center. */
export function migrate(db: Database.Database): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const current = schemaVersionOf(db);
  const newest = MIGRATIONS.at(-1)?.version ?? 0;
  if (current > newest) {
    throw new StorageError('SCHEMA_TOO_NEW', `database schema version ${current} is newer than this center knows (${newest})`);
  }
  for (const m of MIGRATIONS) {
    if (m.version <= current) continue;
    // foreign_keys cannot change inside a transaction, so it is turned off around it.
    const foreignKeys = m.rebuildsTable ? (db.pragma('foreign_keys', { simple: true }) as number) : 0;
    if (m.rebuildsTable) db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        // Another connection to the same file (the app CLI's) may have applied it meanwhile.
        if (schemaVersionOf(db) >= m.version) return;
        db.exec(m.sql);
        const dangling = m.rebuildsTable ? (db.pragma('foreign_key_check') as Array<{ table: string }>) : [];
        if (dangling.length > 0) {
          // Rolled back: the file stays as it was, at the version before.
          const tables = [...new Set(dangling.map((r) => r.table))].join(', ');
          throw new StorageError('MIGRATION_FAILED', `migration ${m.version} not applied: ${dangling.length} row(s) of ${tables} refer to rows that do not exist; the file is unchanged`);
        }
        db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, new Date().toISOString());
      }).immediate();
    } finally {
      if (m.rebuildsTable) db.pragma(`foreign_keys = ${foreignKeys ? 'ON' : 'OFF'}`);
    }
  }
}

