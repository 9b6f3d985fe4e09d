import type { Db } from '../data/db';
import { createInvestigation, finishInvestigation, recordStep, recordToolCall } from '../data/investigations';
import type { InvestigationSink } from './sink';

/** Writes every step and tool call to SQLite as it happens, so a crash loses nothing already done. */
export function sqliteSink(
  db: Db,
  extra: { alertKey?: string; threadTs?: string; question?: string } = {},
): InvestigationSink {
  return {
    onStarted: (i) =>
      createInvestigation(db, {
        id: i.id,
        alertKey: extra.alertKey ?? i.alert.id,
        alert: i.alert,
        planner: i.planner,
        startedAt: i.startedAt,
        channelId: i.channelId,
        threadTs: extra.threadTs,
        question: extra.question,
      }),
    onStep: (id, step) =>
      recordStep(db, id, { n: step.n, thought: step.thought, createdAt: new Date().toISOString() }),
    onToolCall: (id, n, o) =>
      recordToolCall(db, id, {
        stepN: n,
        callId: o.call.id,
        tool: o.call.tool,
        input: o.call.input,
        ok: o.observation.ok,
        summary: o.observation.summary,
        error: o.observation.error ?? null,
        ms: o.ms,
      }),
    onFinished: (r) =>
      finishInvestigation(db, r.id, {
        status: r.status,
        finishedAt: new Date().toISOString(),
        result: r,
        usage: r.usage,
        planner: r.planner,
      }),
  };
}
