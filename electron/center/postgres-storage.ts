/**
 * The center's storage on PostgreSQL (node-postgres), for a room or a lab where several centers on
 * several machines share one database. Same records, history and release semantics as the SQLite
 * storage (sqlite-storage.ts), whose row mapping it reuses (sqlite-rows.ts: the columns are the same).
 *
 * Each update is one transaction on one pooled connection: lock the card, read it (or the booking)
 * and the settings, run the pure decision, apply its changes, COMMIT. synchronous_commit is forced on
 * for every write transaction, so a promise resolves only once PostgreSQL has the change on disk.
 *
 * Serialization: a transaction-scoped advisory lock per card, taken before the card is read.
 * Row locks (SELECT … FOR UPDATE) cannot lock a card that has no row yet (the first booking of a
 * card would race), and SERIALIZABLE would abort and retry under contention (fifty kiosks on one
 * hot card) and can fail transactions on unrelated cards through page-level predicate locks. The
 * advisory lock makes the second writer of a card wait, then read what the first committed (READ
 * COMMITTED: each statement sees the commits before it), so it never decides on a stale state.
 * Reads are single statements: one snapshot for the card and the settings together.
 */
import pg from 'pg';
import type { MaintenanceWindow } from '../domain/hours';
import {
  DEFAULT_CENTER_SETTINGS,
  NO_LOCK,
  StorageError,
  type BookingRecord,
  type BookingWithHistory,
  type CardState,
  type CenterStorage,
  type Decision,
  type Settings,
  type StorageChange,
} from './storage';
import { migratePostgres, postgresSchemaVersionOf } from './postgres-migrations';
import { historyOf, toBooking, type BookingRow, type EventRow } from './sqlite-rows';

/** BIGINT (times in ms, seq) as JS numbers: every value the center stores is far below 2^53. */
const INT8_OID = 20;
const centerTypes = new pg.TypeOverrides();
centerTypes.setTypeParser(INT8_OID, (v: string) => Number(v));

/**
 * The card's advisory lock key: 64 bits of md5 over a namespaced card id, computed by the server so
 * a booking's lock can be taken in the same statement that finds its card. A collision only makes
 * two cards wait for each other.
 */
const CARD_LOCK_KEY = (cardIdExpr: string) => `('x' || substr(md5('kiosk-sim card:' || ${cardIdExpr}), 1, 16))::bit(64)::bigint`;

const SETTINGS_JSON = '(SELECT json_object_agg(s.key, s.value) FROM settings AS s)';

const SQL = {
  lockCard: `SELECT pg_advisory_xact_lock(${CARD_LOCK_KEY('$1::text')})`,
  lockBookingCard: `SELECT pg_advisory_xact_lock(${CARD_LOCK_KEY('card_id')}) FROM bookings WHERE id = $1`,
  // One statement, one snapshot: the lock row, the newest booking of each kind, the settings.
  card: `SELECT (SELECT row_to_json(l) FROM app_locks AS l WHERE l.card_id = $1) AS lock,
                (SELECT row_to_json(b) FROM bookings AS b WHERE b.card_id = $1 AND b.kind = 'sign' ORDER BY b.seq DESC LIMIT 1) AS sign,
                (SELECT row_to_json(b) FROM bookings AS b WHERE b.card_id = $1 AND b.kind = 'auth' ORDER BY b.seq DESC LIMIT 1) AS auth,
                ${SETTINGS_JSON} AS settings`,
  booking: `SELECT (SELECT row_to_json(b) FROM bookings AS b WHERE b.id = $1) AS booking, ${SETTINGS_JSON} AS settings`,
  settings: `SELECT ${SETTINGS_JSON} AS settings`,
  // Bookings with their stored events, in one statement (one snapshot).
  withEvents: (where: string) => `SELECT row_to_json(b) AS booking,
      COALESCE((SELECT json_agg(json_build_object('state', e.state, 'at', e.at, 'kiosk_id', e.kiosk_id, 'request_id', e.request_id, 'note', e.note) ORDER BY e.seq)
                FROM booking_events AS e WHERE e.booking_id = b.id), '[]'::json) AS events
    FROM bookings AS b ${where}`,
  insertBooking: `INSERT INTO bookings (id, card_id, kind, state, via, completed_at, expires_at) VALUES ($1, $2, $3, 'booked', $4, $5, $6)`,
  insertEvent: 'INSERT INTO booking_events (booking_id, state, at, kiosk_id, request_id, note) VALUES ($1, $2, $3, $4, $5, $6)',
  toAuthorized: `UPDATE bookings SET state = 'authorized', auth_kiosk_id = $1, auth_request_id = $2, auth_challenge = $3, authorized_at = $4,
    auth_reset_count = $5, auth_challenge_seq = $6 WHERE id = $7 AND state = $8`,
  // A released authorization leaves the row (it goes to the history as events).
  toReleased: `UPDATE bookings SET state = 'booked', auth_kiosk_id = NULL, auth_request_id = NULL, auth_challenge = NULL,
    authorized_at = NULL, auth_reset_count = NULL, auth_challenge_seq = NULL WHERE id = $1 AND state = 'authorized'`,
  toUsed: `UPDATE bookings SET state = 'used', use_kiosk_id = $1, use_request_id = $2, used_at = $3 WHERE id = $4 AND state = $5`,
  toOther: 'UPDATE bookings SET state = $1 WHERE id = $2 AND state = $3',
  upsertLock: `INSERT INTO app_locks (card_id, consecutive_failures, locked_at) VALUES ($1, $2, $3)
    ON CONFLICT (card_id) DO UPDATE SET consecutive_failures = excluded.consecutive_failures, locked_at = excluded.locked_at`,
  insertFaceCheck: 'INSERT INTO face_checks (card_id, at, passed) VALUES ($1, $2, $3)',
  putSetting: 'INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
} as const;

type SettingsJson = Record<string, string> | null;

const asError = (e: unknown): Error => (e instanceof Error ? e : new Error(String(e)));

function settingsOf(json: SettingsJson): Settings {
  let settings: Settings = DEFAULT_CENTER_SETTINGS;
  if (json?.clock_offset_ms !== undefined) settings = { ...settings, clockOffsetMs: Number(json.clock_offset_ms) };
  if (json?.maintenance !== undefined) settings = { ...settings, maintenance: JSON.parse(json.maintenance) as MaintenanceWindow[] };
  return settings;
}

interface CardJson {
  lock: { consecutive_failures: number; locked_at: number | null } | null;
  sign: BookingRow | null;
  auth: BookingRow | null;
  settings: SettingsJson;
}

function cardOf(cardId: string, r: CardJson): CardState {
  const latest: { sign?: BookingRecord; auth?: BookingRecord } = {};
  if (r.sign) latest.sign = toBooking(r.sign);
  if (r.auth) latest.auth = toBooking(r.auth);
  return { cardId, lock: r.lock ? { consecutiveFailures: r.lock.consecutive_failures, lockedAt: r.lock.locked_at } : NO_LOCK, latest };
}

function withHistory(r: { booking: BookingRow; events: EventRow[] }): BookingWithHistory {
  const booking = toBooking(r.booking);
  return { booking, history: historyOf(booking, r.events) };
}

/** The database a URL names, for messages and logs: user, host, port and database, never a password. */
export function describePostgresUrl(url: string): string {
  try {
    const u = new URL(url);
    u.password = '';
    for (const key of [...u.searchParams.keys()]) if (/pass|ssl(key|password)/i.test(key)) u.searchParams.delete(key);
    return u.toString();
  } catch {
    return 'a PostgreSQL URL that does not parse';
  }
}

export interface PostgresStorageOptions {
  /** Connections kept by this center (each update holds one for its transaction). Default 10. */
  readonly maxConnections?: number;
  /** How long opening a connection may take before it fails (ms). Default 10 s. */
  readonly connectTimeoutMs?: number;
}

export class PostgresStorage implements CenterStorage {
  private closed = false;
  private readonly inFlight = new Set<Promise<unknown>>();

  private constructor(private readonly pool: pg.Pool) {}

  /** Connects, migrates (or refuses a newer schema), and hands back the storage. */
  static async open(url: string, options: PostgresStorageOptions = {}): Promise<PostgresStorage> {
    const pool = new pg.Pool({
      connectionString: url,
      max: options.maxConnections ?? 10,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
      types: centerTypes,
    });
    // An idle connection the server drops (a restart) is an error event; unhandled it would end the
    // process. The pool forgets that connection and the next request opens a new one.
    pool.on('error', () => undefined);
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (err) {
      await pool.end().catch(() => undefined);
      const why = err instanceof Error ? err.message : String(err);
      throw new StorageError('UNREACHABLE', `cannot open the center's PostgreSQL database ${describePostgresUrl(url)}: ${why}`);
    }
    try {
      await migratePostgres(client);
    } catch (err) {
      client.release();
      await pool.end().catch(() => undefined);
      throw err;
    }
    client.release();
    return new PostgresStorage(pool);
  }

  /** Runs `fn` in one transaction on one connection; COMMIT before the promise resolves. */
  private transaction<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    return this.track(async () => {
      const c = await this.pool.connect();
      try {
        // One round trip; durable before the promise resolves, whatever the server's default.
        await c.query('BEGIN; SET LOCAL synchronous_commit TO on');
      } catch (err) {
        c.release(asError(err));
        throw err;
      }
      // Set when the connection cannot be trusted to be outside a transaction: it is dropped, not
      // handed to the next request.
      let broken: Error | undefined;
      try {
        const value = await fn(c);
        await c.query('COMMIT');
        return value;
      } catch (err) {
        await c.query('ROLLBACK').catch((e: unknown) => (broken = asError(e)));
        throw err;
      } finally {
        c.release(broken);
      }
    });
  }

  /** One statement outside a transaction (a read: one snapshot). */
  private read<T extends pg.QueryResultRow>(text: string, values: unknown[]): Promise<T[]> {
    return this.track(async () => (await this.pool.query<T>(text, values)).rows);
  }

  private track<T>(run: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new StorageError('CLOSED', 'storage is closed'));
    const p = run();
    this.inFlight.add(p);
    const done = () => this.inFlight.delete(p);
    p.then(done, done);
    return p;
  }

  private async apply(c: pg.PoolClient, cardId: string, changes: readonly StorageChange[]): Promise<void> {
    for (const ch of changes) {
      switch (ch.type) {
        case 'add-booking': {
          const b = ch.booking;
          await c.query(SQL.insertBooking, [b.id, b.cardId, b.kind, b.via, b.completedAt, b.expiresAt]);
          await c.query(SQL.insertEvent, [b.id, 'booked', b.completedAt, null, null, ch.note ?? null]);
          break;
        }
        case 'transition':
          await this.transition(c, ch);
          break;
        case 'release':
          await this.release(c, ch);
          break;
        case 'set-lock':
          await c.query(SQL.upsertLock, [cardId, ch.lock.consecutiveFailures, ch.lock.lockedAt]);
          break;
        case 'face-check':
          await c.query(SQL.insertFaceCheck, [cardId, ch.at, ch.passed]);
          break;
      }
    }
  }

  private async transition(c: pg.PoolClient, t: Extract<StorageChange, { type: 'transition' }>): Promise<void> {
    const kioskId = t.kioskId ?? null;
    const requestId = t.requestId ?? null;
    const r =
      t.to === 'authorized'
        ? await c.query(SQL.toAuthorized, [kioskId, requestId, t.challenge ?? null, t.at, t.resetCount ?? null, t.challengeSeq ?? null, t.bookingId, t.from])
        : t.to === 'used'
          ? await c.query(SQL.toUsed, [kioskId, requestId, t.at, t.bookingId, t.from])
          : await c.query(SQL.toOther, [t.to, t.bookingId, t.from]);
    // The decision saw the booking in `from` under this card's lock, so this cannot happen unless
    // another writer broke the serialization: refuse rather than double-apply.
    if (r.rowCount !== 1) throw new StorageError('CONFLICT', `booking ${t.bookingId} is no longer ${t.from}`);
    // Authorized and used are recorded in the row itself (sqlite-rows.ts historyOf); a use with a
    // note (proved by the card's receipt) keeps its note as an event.
    if ((t.to !== 'authorized' && t.to !== 'used') || (t.to === 'used' && t.note !== undefined)) {
      await c.query(SQL.insertEvent, [t.bookingId, t.to, t.at, kioskId, requestId, t.note ?? null]);
    }
  }

  private async release(c: pg.PoolClient, rel: Extract<StorageChange, { type: 'release' }>): Promise<void> {
    const r = await c.query(SQL.toReleased, [rel.bookingId]);
    if (r.rowCount !== 1) throw new StorageError('CONFLICT', `booking ${rel.bookingId} is no longer authorized`);
    // The row forgets the authorization; the history keeps it, and why it was given back.
    const a = rel.authorization;
    await c.query(SQL.insertEvent, [rel.bookingId, 'authorized', a.at, a.kioskId, a.requestId, 'released later']);
    await c.query(SQL.insertEvent, [rel.bookingId, 'booked', rel.at, null, null, rel.note]);
  }

  private static async cardIn(c: pg.ClientBase | pg.Pool, cardId: string): Promise<{ card: CardState; settings: Settings }> {
    const row = (await c.query<CardJson>(SQL.card, [cardId])).rows[0] as CardJson;
    return { card: cardOf(cardId, row), settings: settingsOf(row.settings) };
  }

  readCard(cardId: string): Promise<CardState> {
    return this.track(async () => (await PostgresStorage.cardIn(this.pool, cardId)).card);
  }

  readCardWithSettings(cardId: string): Promise<{ card: CardState; settings: Settings }> {
    return this.track(() => PostgresStorage.cardIn(this.pool, cardId));
  }

  updateCard<T>(cardId: string, decide: (card: CardState, settings: Settings) => Decision<T>): Promise<T> {
    return this.transaction(async (c) => {
      await c.query(SQL.lockCard, [cardId]);
      const { card, settings } = await PostgresStorage.cardIn(c, cardId);
      const d = decide(card, settings);
      await this.apply(c, cardId, d.changes);
      return d.result;
    });
  }

  updateBooking<T>(bookingId: string, decide: (booking: BookingRecord | undefined, settings: Settings) => Decision<T>): Promise<T> {
    return this.transaction(async (c) => {
      // The booking's card is locked (a booking never changes card) before the booking is read.
      await c.query(SQL.lockBookingCard, [bookingId]);
      const row = (await c.query<{ booking: BookingRow | null; settings: SettingsJson }>(SQL.booking, [bookingId])).rows[0];
      const booking = row?.booking ? toBooking(row.booking) : undefined;
      const d = decide(booking, settingsOf(row?.settings ?? null));
      if (d.changes.length > 0) {
        if (!booking) throw new StorageError('CONFLICT', 'changes for a booking that does not exist');
        await this.apply(c, booking.cardId, d.changes);
      }
      return d.result;
    });
  }

  async readBooking(bookingId: string): Promise<BookingWithHistory | undefined> {
    const rows = await this.read<{ booking: BookingRow; events: EventRow[] }>(SQL.withEvents('WHERE b.id = $1'), [bookingId]);
    return rows[0] ? withHistory(rows[0]) : undefined;
  }

  async listBookings(query: { readonly cardId?: string; readonly limit: number }): Promise<BookingWithHistory[]> {
    const rows =
      query.cardId !== undefined
        ? await this.read<{ booking: BookingRow; events: EventRow[] }>(SQL.withEvents('WHERE b.card_id = $1 ORDER BY b.seq DESC LIMIT $2'), [query.cardId, query.limit])
        : await this.read<{ booking: BookingRow; events: EventRow[] }>(SQL.withEvents('ORDER BY b.seq DESC LIMIT $1'), [query.limit]);
    return rows.map(withHistory);
  }

  async readSettings(): Promise<Settings> {
    const rows = await this.read<{ settings: SettingsJson }>(SQL.settings, []);
    return settingsOf(rows[0]?.settings ?? null);
  }

  writeSettings(patch: Partial<Settings>): Promise<Settings> {
    return this.transaction(async (c) => {
      if (patch.clockOffsetMs !== undefined) await c.query(SQL.putSetting, ['clock_offset_ms', String(patch.clockOffsetMs)]);
      if (patch.maintenance !== undefined) await c.query(SQL.putSetting, ['maintenance', JSON.stringify(patch.maintenance)]);
      return settingsOf((await c.query<{ settings: SettingsJson }>(SQL.settings)).rows[0]?.settings ?? null);
    });
  }

  /** Lets what is under way finish, then closes the connections. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.inFlight]);
    await this.pool.end();
  }

  /** The applied schema version (postgres-migrations.ts). */
  async schemaVersion(): Promise<number> {
    const c = await this.pool.connect();
    try {
      return await postgresSchemaVersionOf(c);
    } finally {
      c.release();
    }
  }
}

export function openPostgresStorage(url: string, options?: PostgresStorageOptions): Promise<PostgresStorage> {
  return PostgresStorage.open(url, options);
}
