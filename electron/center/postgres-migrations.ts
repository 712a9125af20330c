/**
 * The center's PostgreSQL schema, as versioned migrations recorded in `schema_migrations` (the same
 * table SQLite keeps). Append only: a released migration is never edited, a change is a new version.
 *
 * Version 1 is the shape SQLite reached at its version 4 (sqlite-migrations.ts): a PostgreSQL
 * center never held the older shapes, so their history is not replayed here. The two numberings are
 * independent; each database says which of its own migrations it has.
 */
import type pg from 'pg';
import { StorageError } from './storage';

export interface PostgresMigration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [
  {
    version: 1,
    name: 'bookings with receipt facts, history, face-check locks, settings',
    sql: `
      CREATE TABLE bookings (
        seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        card_id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('sign', 'auth')),
        state TEXT NOT NULL CHECK (state IN ('booked', 'authorized', 'used', 'expired', 'replaced')),
        via TEXT NOT NULL CHECK (via IN ('app', 'admin')),
        completed_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL,
        auth_kiosk_id TEXT,
        auth_request_id TEXT,
        auth_challenge TEXT,
        authorized_at BIGINT,
        use_kiosk_id TEXT,
        use_request_id TEXT,
        used_at BIGINT,
        auth_reset_count BIGINT,
        auth_challenge_seq BIGINT,
        -- Belt and braces for "authorize once, confirm once": the states that need a record have one.
        CHECK (state NOT IN ('authorized', 'used') OR authorized_at IS NOT NULL),
        CHECK (state <> 'used' OR used_at IS NOT NULL)
      );
      CREATE INDEX bookings_by_card ON bookings (card_id, kind, seq);
      CREATE TABLE booking_events (
        seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        booking_id TEXT NOT NULL REFERENCES bookings (id),
        state TEXT NOT NULL,
        at BIGINT NOT NULL,
        kiosk_id TEXT,
        request_id TEXT,
        note TEXT
      );
      CREATE INDEX booking_events_by_booking ON booking_events (booking_id, seq);
      CREATE TABLE app_locks (
        card_id TEXT PRIMARY KEY,
        consecutive_failures INTEGER NOT NULL,
        locked_at BIGINT
      );
      CREATE TABLE face_checks (
        seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        card_id TEXT NOT NULL,
        at BIGINT NOT NULL,
        passed BOOLEAN NOT NULL
      );
      CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `,
  },
];

/**
 * Held (for one transaction) while migrating, so centers starting together on a new database do
 * not race to create the same tables: the second waits, then finds the version already applied.
 */
const MIGRATION_LOCK_KEY = 0x6b696f736b2d6d69n; // "kiosk-mi"

/** The newest migration recorded in the database (0 for a new one). */
export async function postgresSchemaVersionOf(db: pg.ClientBase): Promise<number> {
  const exists = await db.query<{ t: string | null }>("SELECT to_regclass('schema_migrations')::text AS t");
  if (exists.rows[0]?.t == null) return 0;
  const r = await db.query<{ v: number | null }>('SELECT MAX(version) AS v FROM schema_migrations');
  return r.rows[0]?.v ?? 0;
}

/**
 * Brings the database up to the newest migration in one transaction (PostgreSQL's DDL is
 * transactional: a failed migration leaves the database as it was); refuses a database from a
 * newer center.
 */
export async function migratePostgres(db: pg.ClientBase): Promise<void> {
  const newest = POSTGRES_MIGRATIONS.at(-1)?.version ?? 0;
  await db.query('BEGIN');
  try {
    await db.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY.toString()]);
    await db.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
    const current = await postgresSchemaVersionOf(db);
    if (current > newest) {
      throw new StorageError('SCHEMA_TOO_NEW', `database schema version ${current} is newer than this center knows (${newest})`);
    }
    for (const m of POSTGRES_MIGRATIONS) {
      if (m.version <= current) continue;
      try {
        await db.query(m.sql);
      } catch (err) {
        throw new StorageError('MIGRATION_FAILED', `migration ${m.version} not applied (${err instanceof Error ? err.message : String(err)}); the database is unchanged`);
      }
      await db.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [m.version, m.name, new Date().toISOString()]);
    }
    await db.query('COMMIT');
  } catch (err) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
