/**
 * Which storage a `--db` value names: a `postgres://` or `postgresql://` URL is a shared PostgreSQL
 * database (postgres-storage.ts), anything else a SQLite file (the embedded default).
 */
import { describePostgresUrl, openPostgresStorage } from './postgres-storage';
import { openSqliteStorage } from './sqlite-storage';
import type { CenterStorage } from './storage';

export const isPostgresUrl = (db: string): boolean => /^postgres(ql)?:\/\//i.test(db);

/** Opens (and migrates) the storage `db` names; a server that cannot be reached is a StorageError UNREACHABLE. */
export async function openCenterStorage(db: string): Promise<CenterStorage> {
  return isPostgresUrl(db) ? openPostgresStorage(db) : openSqliteStorage(db);
}

/** `db` as it may be printed or logged: a URL without its password. */
export const describeCenterDb = (db: string): string => (isPostgresUrl(db) ? describePostgresUrl(db) : db);
