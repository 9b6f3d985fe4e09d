import type { Db } from './db';

/** Learned priors, worked examples and incident outcomes. Each `learn` run is a full, versioned set. */
export type PriorRow = {
  kind: 'tool' | 'suspect_kind' | 'document' | 'weight';
  scope: string;
  key: string;
  value: number;
  support: number;
  reason: string;
};
export type ExampleRow = {
  investigationId: string;
  /** The Slack channel it ran in (null from the CLI or a webhook without one). */
  channelId: string | null;
  scope: string;
  rating: number;
  text: string;
  spaceId: number;
  embedding: Float32Array;
};
export type LearningRun = { id: number; createdAt: string; active: boolean; stats: Record<string, unknown> };

const blob = (v: Float32Array) => Buffer.from(v.buffer, v.byteOffset, v.byteLength);

/** Stores a run and makes it the active one (the previous run stays, for rollback). */
export function saveLearningRun(
  db: Db,
  run: { createdAt: string; priors: readonly PriorRow[]; examples: readonly ExampleRow[]; stats: object },
): number {
  return db.transaction(() => {
    const id = Number(
      db
        .prepare('INSERT INTO learning_runs (created_at, active, stats) VALUES (?, 0, ?)')
        .run(run.createdAt, JSON.stringify(run.stats)).lastInsertRowid,
    );
    const prior = db.prepare(
      'INSERT INTO learned_priors (run_id, kind, scope, key, value, support, reason) VALUES (?,?,?,?,?,?,?)',
    );
    for (const p of run.priors) prior.run(id, p.kind, p.scope, p.key, p.value, p.support, p.reason);
    const example = db.prepare(
      'INSERT INTO learned_examples (run_id, investigation_id, channel_id, scope, rating, text, space_id, embedding) VALUES (?,?,?,?,?,?,?,?)',
    );
    for (const e of run.examples)
      example.run(
        id,
        e.investigationId,
        e.channelId,
        e.scope,
        e.rating,
        e.text,
        e.spaceId,
        blob(e.embedding),
      );
    activate(db, id);
    return id;
  })();
}

/** Keeps the newest `keep` runs (enough to roll back a few times); older ones and their rows go. */
export function pruneLearningRuns(db: Db, keep: number): number {
  return db
    .prepare(
      'DELETE FROM learning_runs WHERE active = 0 AND id NOT IN (SELECT id FROM learning_runs ORDER BY id DESC LIMIT ?)',
    )
    .run(keep).changes;
}

function activate(db: Db, id: number | null): void {
  db.prepare('UPDATE learning_runs SET active = (id = ?)').run(id ?? -1);
}

export function listLearningRuns(db: Db): LearningRun[] {
  return (
    db.prepare('SELECT id, created_at AS createdAt, active, stats FROM learning_runs ORDER BY id').all() as {
      id: number;
      createdAt: string;
      active: number;
      stats: string;
    }[]
  ).map((r) => ({ ...r, active: r.active === 1, stats: JSON.parse(r.stats) }));
}

export function activeLearningRun(db: Db): LearningRun | undefined {
  return listLearningRuns(db).find((r) => r.active);
}

/** Reverts to the run before the active one (or to nothing learned); returns the now-active run id. */
export function rollbackLearning(db: Db): number | null {
  const runs = listLearningRuns(db);
  const at = runs.findIndex((r) => r.active);
  const previous = at > 0 ? runs[at - 1]!.id : null;
  activate(db, previous);
  return previous;
}

/** Switches learning off (every run kept; `learn` or a rollback turns it on again). */
export function disableLearning(db: Db): void {
  activate(db, null);
}

export function activePriors(db: Db, scopes: readonly string[]): PriorRow[] {
  if (scopes.length === 0) return [];
  return db
    .prepare(
      `SELECT p.kind, p.scope, p.key, p.value, p.support, p.reason FROM learned_priors p
       JOIN learning_runs r ON r.id = p.run_id AND r.active = 1
       WHERE p.scope IN (${scopes.map(() => '?').join(',')}) ORDER BY p.scope, p.kind, p.key`,
    )
    .all(...scopes) as PriorRow[];
}

export function priorsOfRun(db: Db, runId: number): PriorRow[] {
  return db
    .prepare(
      'SELECT kind, scope, key, value, support, reason FROM learned_priors WHERE run_id = ? ORDER BY scope, kind, key',
    )
    .all(runId) as PriorRow[];
}

/**
 * The active run's examples nearest to an alert embedding (cosine distance, sqlite-vec). ACL: an
 * example from a Slack channel is shown only in that channel, or anywhere when the channel is known
 * to be public (its messages are indexed as not private); examples without a channel are shared.
 */
export function nearestExamples(
  db: Db,
  query: { spaceId: number; vector: Float32Array; channelId?: string },
  k: number,
  maxDistance: number,
): { investigationId: string; text: string; rating: number; distance: number }[] {
  return db
    .prepare(
      `SELECT e.investigation_id AS investigationId, e.text, e.rating, vec_distance_cosine(e.embedding, ?) AS distance
       FROM learned_examples e JOIN learning_runs r ON r.id = e.run_id AND r.active = 1
       WHERE e.space_id = ? AND distance <= ?
         AND (e.channel_id IS NULL OR e.channel_id = ?
              OR EXISTS (SELECT 1 FROM documents d WHERE d.channel_id = e.channel_id AND d.is_private = 0))
       ORDER BY distance, e.rating DESC LIMIT ?`,
    )
    .all(blob(query.vector), query.spaceId, maxDistance, query.channelId ?? null, k) as {
    investigationId: string;
    text: string;
    rating: number;
    distance: number;
  }[];
}

export type OutcomeRow = {
  investigationId: string;
  incidentId: string;
  source: string;
  title: string;
  url?: string;
  startedAt: string;
  resolvedAt: string;
  resolutionMs: number;
  cause?: string;
  mitigation?: string;
  matchedRank: number | null;
  matchedRef: string | null;
  linkedAt: string;
};

/** Idempotent: true when this incident was newly linked to this investigation. */
export function recordOutcome(db: Db, o: OutcomeRow): boolean {
  return (
    db
      .prepare(
        `INSERT INTO incident_outcomes (investigation_id, incident_id, source, title, url, started_at, resolved_at,
           resolution_ms, cause, mitigation, matched_rank, matched_ref, linked_at)
         VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING`,
      )
      .run(
        o.investigationId,
        o.incidentId,
        o.source,
        o.title,
        o.url ?? null,
        o.startedAt,
        o.resolvedAt,
        o.resolutionMs,
        o.cause ?? null,
        o.mitigation ?? null,
        o.matchedRank,
        o.matchedRef,
        o.linkedAt,
      ).changes > 0
  );
}

export function listOutcomes(db: Db, investigationId?: string): OutcomeRow[] {
  return db
    .prepare(
      `SELECT investigation_id AS investigationId, incident_id AS incidentId, source, title, url, started_at AS startedAt,
         resolved_at AS resolvedAt, resolution_ms AS resolutionMs, cause, mitigation, matched_rank AS matchedRank,
         matched_ref AS matchedRef, linked_at AS linkedAt
       FROM incident_outcomes ${investigationId ? 'WHERE investigation_id = ?' : ''} ORDER BY linked_at`,
    )
    .all(...(investigationId ? [investigationId] : [])) as OutcomeRow[];
}

/** Completed investigations since a date, with their live feedback and outcomes: what `learn` reads. */
export function investigationsForLearning(
  db: Db,
  sinceIso: string,
): {
  id: string;
  channelId: string | null;
  result: unknown;
  feedback: { kind: string; value: string; text: string | null }[];
  outcomes: OutcomeRow[];
}[] {
  const rows = db
    .prepare(
      // Follow-up turns answer a question about their root; only root investigations are learned from.
      `SELECT id, channel_id AS channelId, result FROM investigations
       WHERE status = 'completed' AND result IS NOT NULL AND parent_id IS NULL AND started_at >= ? ORDER BY started_at`,
    )
    .all(sinceIso) as { id: string; channelId: string | null; result: string }[];
  const feedback = db.prepare(
    'SELECT kind, value, text FROM feedback WHERE investigation_id = ? AND retracted_at IS NULL ORDER BY id',
  );
  return rows.map((r) => ({
    id: r.id,
    channelId: r.channelId,
    result: JSON.parse(r.result),
    feedback: feedback.all(r.id) as { kind: string; value: string; text: string | null }[],
    outcomes: listOutcomes(db, r.id),
  }));
}

/** Titles of knowledge pages and past incidents, by the id answers cite them with. */
export function documentTitles(db: Db): Map<string, string> {
  const rows = db
    .prepare(
      `SELECT external_id AS id, title FROM documents WHERE source IN ('runbook','confluence','notion','rootly')`,
    )
    .all() as { id: string; title: string }[];
  return new Map(rows.map((r) => [r.id, r.title]));
}
