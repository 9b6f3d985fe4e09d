import type { Db } from './db';

/** What the report needs per finished investigation: times, usage, feedback and linked outcomes. */
export type ReportRow = {
  id: string;
  alert: { service?: string; title?: string };
  topSuspectService?: string;
  planner: string;
  status: string;
  startedAt: string;
  finishedAt: string | null;
  firstReplyMs: number | null;
  usage: { promptTokens?: number; completionTokens?: number; costUsd?: number } | null;
  feedback: { kind: string; value: string }[];
  outcomes: { matchedRank: number | null; resolutionMs: number; cause: string | null }[];
};

export function reportRows(db: Db, sinceIso: string): ReportRow[] {
  const rows = db
    .prepare(
      `SELECT id, alert, result, planner, status, started_at AS startedAt, finished_at AS finishedAt,
         first_reply_ms AS firstReplyMs, usage
       FROM investigations WHERE started_at >= ? AND status NOT IN ('running','interrupted') AND parent_id IS NULL
       ORDER BY started_at`,
    )
    .all(sinceIso) as {
    id: string;
    alert: string;
    result: string | null;
    planner: string;
    status: string;
    startedAt: string;
    finishedAt: string | null;
    firstReplyMs: number | null;
    usage: string | null;
  }[];
  const feedback = db.prepare(
    'SELECT kind, value FROM feedback WHERE investigation_id = ? AND retracted_at IS NULL ORDER BY id',
  );
  const outcomes = db.prepare(
    'SELECT matched_rank AS matchedRank, resolution_ms AS resolutionMs, cause FROM incident_outcomes WHERE investigation_id = ?',
  );
  return rows.map((r) => {
    const result = r.result
      ? (JSON.parse(r.result) as { summary?: { suspects?: { service?: string }[] } })
      : null;
    return {
      id: r.id,
      alert: JSON.parse(r.alert),
      topSuspectService: result?.summary?.suspects?.[0]?.service,
      planner: r.planner,
      status: r.status,
      startedAt: r.startedAt,
      finishedAt: r.finishedAt,
      firstReplyMs: r.firstReplyMs,
      usage: r.usage ? JSON.parse(r.usage) : null,
      feedback: feedback.all(r.id) as ReportRow['feedback'],
      outcomes: outcomes.all(r.id) as ReportRow['outcomes'],
    };
  });
}
