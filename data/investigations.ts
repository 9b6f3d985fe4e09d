import type { Db } from './db';

/** Investigations and their steps and tool calls, written as they happen. */
/** `resumed`: was interrupted (crash or shutdown) and has been re-run once, as a new investigation. */
export type InvestigationStatus =
  | 'running'
  | 'completed'
  | 'budget_exhausted'
  | 'failed'
  | 'interrupted'
  | 'resumed';

export type InvestigationRow = {
  id: string;
  alertKey: string;
  alert: unknown;
  planner: string;
  status: InvestigationStatus;
  channelId: string | null;
  threadTs: string | null;
  progressTs: string | null;
  startedAt: string;
  finishedAt: string | null;
  firstReplyMs: number | null;
  result: unknown | null;
  usage: unknown | null;
  /** A follow-up turn: the thread's root investigation, the turn's number (from 1) and its question. */
  parentId: string | null;
  turn: number;
  question: string | null;
};

export type StepRow = { n: number; thought: string; createdAt: string };
export type ToolCallRow = {
  stepN: number;
  callId: string;
  tool: string;
  input: unknown;
  ok: boolean;
  summary: string;
  error: string | null;
  ms: number;
};

type RawInvestigation = {
  id: string;
  alert_key: string;
  alert: string;
  planner: string;
  status: InvestigationStatus;
  channel_id: string | null;
  thread_ts: string | null;
  progress_ts: string | null;
  started_at: string;
  finished_at: string | null;
  first_reply_ms: number | null;
  result: string | null;
  usage: string | null;
  parent_id: string | null;
  turn: number;
  question: string | null;
};

function fromRaw(r: RawInvestigation): InvestigationRow {
  return {
    id: r.id,
    alertKey: r.alert_key,
    alert: JSON.parse(r.alert),
    planner: r.planner,
    status: r.status,
    channelId: r.channel_id,
    threadTs: r.thread_ts,
    progressTs: r.progress_ts,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    firstReplyMs: r.first_reply_ms,
    result: r.result === null ? null : JSON.parse(r.result),
    usage: r.usage === null ? null : JSON.parse(r.usage),
    parentId: r.parent_id,
    turn: r.turn,
    question: r.question,
  };
}

/** The investigation a thread belongs to that has an answer: later runs there are its turns. */
function answeredRoot(
  db: Db,
  channelId: string,
  threadTs: string,
): { id: string; alert_key: string; alert: string } | undefined {
  return db
    .prepare(
      `SELECT id, alert_key, alert FROM investigations
       WHERE channel_id = ? AND thread_ts = ? AND parent_id IS NULL AND result IS NOT NULL
       ORDER BY started_at DESC LIMIT 1`,
    )
    .get(channelId, threadTs) as { id: string; alert_key: string; alert: string } | undefined;
}

function nextTurn(db: Db, rootId: string): number {
  const row = db.prepare('SELECT max(turn) AS n FROM investigations WHERE parent_id = ?').get(rootId) as {
    n: number | null;
  };
  return (row.n ?? 0) + 1;
}

/**
 * Records a run as it starts. A run in the thread of an investigation that has an answer is a
 * follow-up: it is stored as that root's next turn, under the root's alert, with the question it
 * was asked. Anything else (a new thread, a re-run of an interrupted or failed one) is a root
 * investigation.
 */
export function createInvestigation(
  db: Db,
  inv: {
    id: string;
    alertKey: string;
    alert: unknown;
    planner: string;
    startedAt: string;
    channelId?: string;
    threadTs?: string;
    /** A follow-up's question, as the person asked it in the thread. */
    question?: string;
  },
): void {
  db.transaction(() => {
    const root = inv.channelId && inv.threadTs ? answeredRoot(db, inv.channelId, inv.threadTs) : undefined;
    db.prepare(
      `INSERT INTO investigations (id, alert_key, alert, planner, status, channel_id, thread_ts, started_at, parent_id, turn, question)
       VALUES (?,?,?,?, 'running', ?,?,?,?,?,?)`,
    ).run(
      inv.id,
      root ? root.alert_key : inv.alertKey,
      root ? root.alert : JSON.stringify(inv.alert),
      inv.planner,
      inv.channelId ?? null,
      inv.threadTs ?? null,
      inv.startedAt,
      root?.id ?? null,
      root ? nextTurn(db, root.id) : 0,
      root ? (inv.question ?? null) : null,
    );
  })();
}

/**
 * A follow-up answered from the root's result, without a run: a finished turn with its question
 * and answer (no steps, no tools), where the answer was posted.
 */
export function recordAnswerTurn(
  db: Db,
  turn: { id: string; rootId: string; question: string; answer: string; at: string; progressTs?: string },
): void {
  db.transaction(() => {
    const root = getInvestigation(db, turn.rootId);
    if (!root) throw new Error(`no investigation ${turn.rootId} to add a turn to`);
    db.prepare(
      `INSERT INTO investigations (id, alert_key, alert, planner, status, channel_id, thread_ts, progress_ts,
         started_at, finished_at, result, parent_id, turn, question)
       VALUES (?,?,?, 'offline', 'completed', ?,?,?,?,?,?,?,?,?)`,
    ).run(
      turn.id,
      root.alertKey,
      JSON.stringify(root.alert),
      root.channelId,
      root.threadTs,
      turn.progressTs ?? null,
      turn.at,
      turn.at,
      JSON.stringify({ answer: turn.answer }),
      root.id,
      nextTurn(db, root.id),
      turn.question,
    );
  })();
}

/** A root investigation's follow-up turns, in the order they were asked. */
export function listTurns(db: Db, rootId: string): InvestigationRow[] {
  return (
    db
      .prepare('SELECT * FROM investigations WHERE parent_id = ? ORDER BY turn')
      .all(rootId) as RawInvestigation[]
  ).map(fromRaw);
}

export function setSlackLocation(
  db: Db,
  id: string,
  where: { channelId?: string; threadTs?: string; progressTs?: string; firstReplyMs?: number },
): void {
  db.prepare(
    `UPDATE investigations SET channel_id = coalesce(?, channel_id), thread_ts = coalesce(?, thread_ts),
     progress_ts = coalesce(?, progress_ts), first_reply_ms = coalesce(?, first_reply_ms) WHERE id = ?`,
  ).run(
    where.channelId ?? null,
    where.threadTs ?? null,
    where.progressTs ?? null,
    where.firstReplyMs ?? null,
    id,
  );
}

export function recordStep(
  db: Db,
  investigationId: string,
  step: { n: number; thought: string; createdAt: string },
): void {
  db.prepare(
    'INSERT INTO steps (investigation_id, n, thought, created_at) VALUES (?,?,?,?) ON CONFLICT DO UPDATE SET thought = excluded.thought',
  ).run(investigationId, step.n, step.thought, step.createdAt);
}

export function recordToolCall(db: Db, investigationId: string, call: ToolCallRow): void {
  db.prepare(
    `INSERT OR REPLACE INTO tool_calls (investigation_id, step_n, call_id, tool, input, ok, summary, error, ms)
     VALUES (?,?,?,?,?,?,?,?,?)`,
  ).run(
    investigationId,
    call.stepN,
    call.callId,
    call.tool,
    JSON.stringify(call.input ?? null),
    call.ok ? 1 : 0,
    call.summary,
    call.error,
    Math.round(call.ms),
  );
}

export function finishInvestigation(
  db: Db,
  id: string,
  end: { status: InvestigationStatus; finishedAt: string; result: unknown; usage: unknown; planner?: string },
): void {
  db.prepare(
    'UPDATE investigations SET status = ?, finished_at = ?, result = ?, usage = ?, planner = coalesce(?, planner) WHERE id = ?',
  ).run(
    end.status,
    end.finishedAt,
    JSON.stringify(end.result),
    JSON.stringify(end.usage),
    end.planner ?? null,
    id,
  );
}

/** Marks an interrupted run as handled, so a restart never re-runs it twice. Returns false if already handled. */
export function markResumed(db: Db, id: string): boolean {
  return (
    db
      .prepare(
        `UPDATE investigations SET status = 'resumed' WHERE id = ? AND status IN ('running', 'interrupted')`,
      )
      .run(id).changes === 1
  );
}

export function getInvestigation(db: Db, id: string): InvestigationRow | undefined {
  const row = db.prepare('SELECT * FROM investigations WHERE id = ?').get(id) as RawInvestigation | undefined;
  return row && fromRaw(row);
}

/**
 * The investigation whose Slack thread this is (found by its thread or any of its messages):
 * always the root, also from a follow-up turn's message, so feedback and mentions attach there.
 */
export function findInvestigationByThread(
  db: Db,
  channelId: string,
  threadTs: string,
): InvestigationRow | undefined {
  const row = db
    .prepare(
      `SELECT * FROM investigations WHERE id = (
         SELECT coalesce(parent_id, id) FROM investigations
         WHERE channel_id = ? AND (thread_ts = ? OR progress_ts = ?)
         ORDER BY parent_id IS NOT NULL, started_at DESC LIMIT 1)`,
    )
    .get(channelId, threadTs, threadTs) as RawInvestigation | undefined;
  return row && fromRaw(row);
}

export function listInvestigations(db: Db, limit = 50): InvestigationRow[] {
  return (
    db
      .prepare('SELECT * FROM investigations WHERE parent_id IS NULL ORDER BY started_at DESC LIMIT ?')
      .all(limit) as RawInvestigation[]
  ).map(fromRaw);
}

export function getSteps(db: Db, investigationId: string): (StepRow & { calls: ToolCallRow[] })[] {
  const steps = db
    .prepare('SELECT n, thought, created_at AS createdAt FROM steps WHERE investigation_id = ? ORDER BY n')
    .all(investigationId) as StepRow[];
  const calls = db
    .prepare(
      'SELECT step_n AS stepN, call_id AS callId, tool, input, ok, summary, error, ms FROM tool_calls WHERE investigation_id = ? ORDER BY step_n, rowid',
    )
    .all(investigationId) as (Omit<ToolCallRow, 'input' | 'ok'> & { input: string; ok: number })[];
  return steps.map((s) => ({
    ...s,
    calls: calls
      .filter((c) => c.stepN === s.n)
      .map((c) => ({ ...c, input: JSON.parse(c.input), ok: c.ok === 1 })),
  }));
}

/**
 * Retention: deletes investigations (and, by cascade, their steps, feedback and incident outcomes)
 * older than N days, the worked examples learning derived from them, and finished thread jobs.
 */
export function purgeInvestigationsOlderThan(db: Db, days: number, now: Date): number {
  const cutoff = new Date(now.getTime() - days * 86_400_000).toISOString();
  return db.transaction(() => {
    const purged = db
      .prepare(`DELETE FROM investigations WHERE started_at < ? AND status != 'running'`)
      .run(cutoff).changes;
    db.prepare(
      'DELETE FROM learned_examples WHERE investigation_id NOT IN (SELECT id FROM investigations)',
    ).run();
    // Finished jobs go with them; an unfinished one is kept until it is answered.
    db.prepare(`DELETE FROM thread_jobs WHERE state = 'done' AND enqueued_at < ?`).run(cutoff);
    return purged;
  })();
}
