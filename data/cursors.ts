import type { Db } from './db';

/** Indexer sync cursors and the record of each indexing run. */
export function getCursor(db: Db, source: string, scope = ''): string | undefined {
  const row = db
    .prepare('SELECT cursor FROM sync_cursors WHERE source = ? AND scope = ?')
    .get(source, scope) as { cursor: string } | undefined;
  return row?.cursor;
}

export function setCursor(db: Db, source: string, scope: string, cursor: string, now: Date): void {
  db.prepare(
    'INSERT INTO sync_cursors (source, scope, cursor, updated_at) VALUES (?,?,?,?) ON CONFLICT DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at',
  ).run(source, scope, cursor, now.toISOString());
}

export type IndexRunStats = {
  fetched: number;
  changed: number;
  deleted: number;
  errors: string[];
  /** Inputs read leniently or skipped, each naming its file: indexing went on without them. */
  warnings?: string[];
};

export function startIndexRun(db: Db, source: string, now: Date): number {
  return Number(
    db.prepare('INSERT INTO index_runs (source, started_at) VALUES (?,?)').run(source, now.toISOString())
      .lastInsertRowid,
  );
}

export function finishIndexRun(db: Db, runId: number, stats: IndexRunStats, now: Date): void {
  db.prepare(
    'UPDATE index_runs SET finished_at = ?, fetched = ?, changed = ?, deleted = ?, errors = ? WHERE id = ?',
  ).run(now.toISOString(), stats.fetched, stats.changed, stats.deleted, JSON.stringify(stats.errors), runId);
}

export function listIndexRuns(
  db: Db,
  limit = 20,
): ({ id: number; source: string; startedAt: string; finishedAt: string | null } & IndexRunStats)[] {
  return (
    db
      .prepare(
        'SELECT id, source, started_at AS startedAt, finished_at AS finishedAt, fetched, changed, deleted, errors FROM index_runs ORDER BY id DESC LIMIT ?',
      )
      .all(limit) as ({
      id: number;
      source: string;
      startedAt: string;
      finishedAt: string | null;
      errors: string;
    } & Omit<IndexRunStats, 'errors'>)[]
  ).map((r) => ({ ...r, errors: JSON.parse(r.errors) as string[] }));
}
