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

/** Distinct SQL texts whose compiled statement is kept per connection (a few call sites build SQL). */
const STATEMENT_CACHE_SIZE = 500;

/**
 * Compiles each SQL text once per connection: the store's functions call `db.prepare` on every
 * use, and compiling dominated small queries on the hot paths (every alert event runs a dozen).
 * A statement handed out again reads rows as objects, whatever mode (pluck, raw) its last user set.
 */
function cacheStatements(db: Db): void {
  const compile = db.prepare.bind(db);
  const cache = new Map<string, Database.Statement>();
  db.prepare = ((sql: string) => {
    let statement = cache.get(sql);
    if (!statement) {
      statement = compile(sql);
      if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      cache.set(sql, statement);
    } else if (statement.reader) statement.pluck(false).raw(false);
    return statement;
  }) as Db['prepare'];
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
  cacheStatements(db);
  return db;
}
