import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import * as sqliteVec from 'sqlite-vec';
import { migrate } from './migrations';

export type Db = Database.Database;

/** Only the owner may read the store: it holds alerts, investigations, feedback and indexed pages. */
const OWNER_ONLY = 0o600;

/**
 * Creates the database file owner-only before SQLite opens it, and tightens one left readable by
 * an older version. SQLite gives its -wal and -shm files the database file's own mode, so they
 * follow. (The umask is not touched: it is process-wide and cannot be set in worker threads.)
 */
function restrictToOwner(path: string): void {
  if (!existsSync(path)) closeSync(openSync(path, 'a', OWNER_ONLY));
  for (const file of [path, `${path}-wal`, `${path}-shm`]) if (existsSync(file)) chmodSync(file, OWNER_ONLY);
}

/**
 * Opens (and creates on first use) the one SQLite file that holds embeddings, investigations and
 * feedback: owner-only, sqlite-vec loaded, WAL, busy timeout, foreign keys, migrations applied.
 */
export function openDatabase(path: string): Db {
  if (path !== ':memory:') {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    restrictToOwner(path);
  }
  const db = new Database(path);
  sqliteVec.load(db);
  if (path !== ':memory:') db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  migrate(db);
  return db;
}
