import type { Db } from './db';

/**
 * Durable thread jobs: one row per accepted run, from acknowledgement until its answer is in its
 * thread (migration 5 describes the columns). Thin on purpose: when to claim, retry or give up is
 * app/slack/job-runner.ts's; which job overflows is decided here only because it is one query.
 */
export type JobState = 'opening' | 'queued' | 'running' | 'done';
/** How a job ended, or (on a queued job) that it is to be answered with a notice instead of a run. */
export type JobVerdict = 'answered' | 'failed' | 'coalesced' | 'overflow';

export type ThreadJob = {
  id: string;
  alert: unknown;
  cycleId: string | null;
  monitorId: string | null;
  /** 1 (P1) … 5 (P5): lower runs first. */
  priority: number;
  channelId: string;
  /** The thread's root; null until the bot's root post exists. */
  threadTs: string | null;
  /** What the bot's root post says (a webhook alert has no post of its own). */
  rootText: string | null;
  /** The first reply: progress, then the summary. */
  replyTs: string | null;
  recipient: { userId: string; teamId: string } | null;
  /** A follow-up's question and the model's context for it (column `hints`); null for an alert. */
  followUp: { question: string; context: string } | null;
  state: JobState;
  verdict: JobVerdict | null;
  owner: string | null;
  leaseUntil: number;
  openAttempts: number;
  /** How many times a run started: more than one means it was resumed. */
  runs: number;
  investigationId: string | null;
  enqueuedAt: string;
};

export type NewJob = Pick<ThreadJob, 'id' | 'alert' | 'channelId' | 'priority' | 'state'> &
  Partial<
    Pick<ThreadJob, 'cycleId' | 'monitorId' | 'threadTs' | 'rootText' | 'replyTs' | 'recipient' | 'followUp'>
  >;

type Raw = {
  id: string;
  alert: string;
  cycle_id: string | null;
  monitor_id: string | null;
  priority: number;
  channel_id: string;
  thread_ts: string | null;
  root_text: string | null;
  reply_ts: string | null;
  recipient: string | null;
  hints: string | null;
  state: JobState;
  verdict: JobVerdict | null;
  owner: string | null;
  lease_until: number;
  open_attempts: number;
  runs: number;
  investigation_id: string | null;
  enqueued_at: string;
};

const parsed = <T>(s: string | null): T | null => (s === null ? null : (JSON.parse(s) as T));

function fromRaw(r: Raw): ThreadJob {
  return {
    id: r.id,
    alert: JSON.parse(r.alert),
    cycleId: r.cycle_id,
    monitorId: r.monitor_id,
    priority: r.priority,
    channelId: r.channel_id,
    threadTs: r.thread_ts,
    rootText: r.root_text,
    replyTs: r.reply_ts,
    recipient: parsed(r.recipient),
    followUp: parsed(r.hints),
    state: r.state,
    verdict: r.verdict,
    owner: r.owner,
    leaseUntil: r.lease_until,
    openAttempts: r.open_attempts,
    runs: r.runs,
    investigationId: r.investigation_id,
    enqueuedAt: r.enqueued_at,
  };
}

export function getJob(db: Db, id: string): ThreadJob | undefined {
  const row = db.prepare('SELECT * FROM thread_jobs WHERE id = ?').get(id) as Raw | undefined;
  return row && fromRaw(row);
}

export function listJobs(db: Db): ThreadJob[] {
  return (db.prepare('SELECT * FROM thread_jobs ORDER BY rowid').all() as Raw[]).map(fromRaw);
}

/**
 * Inserts a job, leased to `owner` (the process that acknowledged it runs it while it lives).
 * False when its alert cycle already has an unfinished job: a re-notification adds nothing.
 */
export function insertJob(db: Db, job: NewJob, lease: { owner: string; until: number }, at: Date): boolean {
  return (
    db
      .prepare(
        `INSERT OR IGNORE INTO thread_jobs (id, alert, cycle_id, monitor_id, priority, channel_id, thread_ts,
           root_text, reply_ts, recipient, hints, state, owner, lease_until, enqueued_at)
         VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
      )
      .run(
        job.id,
        JSON.stringify(job.alert),
        job.cycleId ?? null,
        job.monitorId ?? null,
        job.priority,
        job.channelId,
        job.threadTs ?? null,
        job.rootText ?? null,
        job.replyTs ?? null,
        job.recipient ? JSON.stringify(job.recipient) : null,
        job.followUp ? JSON.stringify(job.followUp) : null,
        job.state,
        lease.owner,
        lease.until,
        at.toISOString(),
      ).changes === 1
  );
}

/**
 * Queued jobs of the same monitor that never started are superseded by `newer`: each is answered
 * with a notice pointing at the newer cycle instead of being investigated. Returns how many.
 */
export function coalesceOlder(db: Db, newer: { id: string; monitorId: string }): number {
  return db
    .prepare(
      `UPDATE thread_jobs SET verdict = 'coalesced' WHERE monitor_id = ? AND id != ? AND state IN ('opening','queued')
       AND verdict IS NULL AND runs = 0`,
    )
    .run(newer.monitorId, newer.id).changes;
}

/**
 * Beyond `bound` waiting jobs, the lowest-priority oldest ones are to be answered "queue full";
 * returns their ids. A job already running or already given a verdict is never chosen.
 */
export function markOverflow(db: Db, bound: number): string[] {
  const waiting = db
    .prepare(
      `SELECT id FROM thread_jobs WHERE state IN ('opening','queued') AND verdict IS NULL AND runs = 0
       ORDER BY priority DESC, rowid ASC`,
    )
    .all() as { id: string }[];
  const over = waiting.slice(0, Math.max(0, waiting.length - bound)).map((w) => w.id);
  const mark = db.prepare(`UPDATE thread_jobs SET verdict = 'overflow' WHERE id = ?`);
  for (const id of over) mark.run(id);
  return over;
}

/**
 * Takes the next job to run for `owner`: a notice first, then a run whose owner's lease expired
 * (a crash or a frozen process: it is resumed), then the queue by priority and arrival. A queued
 * job another live process holds is left to it.
 */
export function claimNextJob(db: Db, owner: string, nowMs: number, leaseMs: number): ThreadJob | undefined {
  return db
    .transaction(() => {
      const row = db
        .prepare(
          `SELECT * FROM thread_jobs
           WHERE (state = 'queued' AND (owner IS NULL OR owner = ? OR lease_until <= ?))
              OR (state = 'running' AND lease_until <= ? AND (owner IS NULL OR owner != ?))
           ORDER BY verdict IS NULL, state = 'queued', priority, rowid LIMIT 1`,
        )
        .get(owner, nowMs, nowMs, owner) as Raw | undefined;
      if (!row) return undefined;
      const runs = row.verdict === null ? row.runs + 1 : row.runs;
      db.prepare(
        `UPDATE thread_jobs SET state = 'running', owner = ?, lease_until = ?, runs = ? WHERE id = ?`,
      ).run(owner, nowMs + leaseMs, runs, row.id);
      return getJob(db, row.id);
    })
    .immediate();
}

/** Takes an `opening` job whose opener's lease expired (it died, or its last attempt failed). */
export function claimOpeningJob(
  db: Db,
  owner: string,
  nowMs: number,
  leaseMs: number,
): ThreadJob | undefined {
  return db
    .transaction(() => {
      const row = db
        .prepare(
          `SELECT * FROM thread_jobs WHERE state = 'opening' AND lease_until <= ? ORDER BY rowid LIMIT 1`,
        )
        .get(nowMs) as Raw | undefined;
      if (!row) return undefined;
      db.prepare('UPDATE thread_jobs SET owner = ?, lease_until = ? WHERE id = ?').run(
        owner,
        nowMs + leaseMs,
        row.id,
      );
      return getJob(db, row.id);
    })
    .immediate();
}

/** The owner is alive: its leases run on. Returns how many were renewed. */
export function renewLeases(db: Db, owner: string, nowMs: number, leaseMs: number): number {
  return db
    .prepare(`UPDATE thread_jobs SET lease_until = ? WHERE owner = ? AND state != 'done'`)
    .run(nowMs + leaseMs, owner).changes;
}

/**
 * A shutdown that could not wait: the owner's unfinished jobs are handed over at once (lease
 * expired), so the next process to start resumes them without waiting out the lease.
 */
export function releaseLeases(db: Db, owner: string): number {
  return db
    .prepare(`UPDATE thread_jobs SET owner = NULL, lease_until = 0 WHERE owner = ? AND state != 'done'`)
    .run(owner).changes;
}

/** Where the job's thread and first reply are, once they exist. */
export function setJobThread(db: Db, id: string, where: { threadTs?: string; replyTs?: string }): void {
  db.prepare(
    'UPDATE thread_jobs SET thread_ts = coalesce(?, thread_ts), reply_ts = coalesce(?, reply_ts) WHERE id = ?',
  ).run(where.threadTs ?? null, where.replyTs ?? null, id);
}

/** The thread exists: the job waits for a run slot (still held by the process that opened it). */
export function markJobQueued(db: Db, id: string): void {
  db.prepare(`UPDATE thread_jobs SET state = 'queued' WHERE id = ?`).run(id);
}

/** An attempt to open the thread failed: the next one may start at `retryAtMs`. */
export function deferOpening(db: Db, id: string, retryAtMs: number): void {
  db.prepare(
    `UPDATE thread_jobs SET owner = NULL, lease_until = ?, open_attempts = open_attempts + 1 WHERE id = ?`,
  ).run(retryAtMs, id);
}

export function setJobInvestigation(db: Db, id: string, investigationId: string): void {
  db.prepare('UPDATE thread_jobs SET investigation_id = ? WHERE id = ?').run(investigationId, id);
}

export function finishJob(db: Db, id: string, verdict: JobVerdict, at: Date): void {
  db.prepare(
    `UPDATE thread_jobs SET state = 'done', verdict = ?, owner = NULL, lease_until = 0, finished_at = ? WHERE id = ?`,
  ).run(verdict, at.toISOString(), id);
}

/** What /healthz shows: jobs waiting for a run (and since when the oldest waits), and jobs running. */
export function jobCounts(db: Db): { queued: number; running: number; oldestQueuedAt: string | null } {
  return db
    .prepare(
      `SELECT coalesce(sum(state IN ('opening','queued') AND verdict IS NULL), 0) AS queued,
              coalesce(sum(state = 'running'), 0) AS running,
              min(CASE WHEN state IN ('opening','queued') AND verdict IS NULL THEN enqueued_at END) AS oldestQueuedAt
       FROM thread_jobs WHERE state != 'done'`,
    )
    .get() as { queued: number; running: number; oldestQueuedAt: string | null };
}
