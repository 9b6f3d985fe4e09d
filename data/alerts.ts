import type { Db } from './db';

/**
 * The alert-cycle table: one row per cycle of a monitor group, shared by the Slack path and the
 * webhook path. Thin on purpose: the rules that decide what a notification does to a cycle live
 * in app/gateway/cycle-rules.ts; this module only reads and writes rows.
 */
export type AlertCycle = {
  /** The cycle's alert id (`Alert.id` of what is investigated in it). */
  id: string;
  group: string;
  cycleKey: string | null;
  /** The last state DataDog reported: triggered, warn, no_data or recovered. */
  status: string;
  firstSeen: string;
  lastSeen: string;
  count: number;
  closedAt: string | null;
  /** An attempt to open the cycle's thread is under way since then. */
  claimedAt: string | null;
  /** Where the cycle's thread is; set only once it exists (the cycle is then handled). */
  channelId: string | null;
  threadTs: string | null;
  investigationId: string | null;
};

const COLUMNS = `dedupe_key AS id, monitor_group AS "group", cycle_key AS cycleKey, status,
  first_seen AS firstSeen, last_seen AS lastSeen, count, closed_at AS closedAt, claimed_at AS claimedAt,
  channel_id AS channelId, thread_ts AS threadTs, investigation_id AS investigationId`;

export function getCycle(db: Db, id: string): AlertCycle | undefined {
  return db.prepare(`SELECT ${COLUMNS} FROM alerts WHERE dedupe_key = ?`).get(id) as AlertCycle | undefined;
}

/** The newest cycle of a monitor group, open or closed. */
export function latestCycleOf(db: Db, group: string): AlertCycle | undefined {
  return db
    .prepare(`SELECT ${COLUMNS} FROM alerts WHERE monitor_group = ? ORDER BY rowid DESC LIMIT 1`)
    .get(group) as AlertCycle | undefined;
}

export function cycleByKey(db: Db, cycleKey: string): AlertCycle | undefined {
  return db.prepare(`SELECT ${COLUMNS} FROM alerts WHERE cycle_key = ?`).get(cycleKey) as
    | AlertCycle
    | undefined;
}

/** How many cycles a group has had: numbers the next one's id. */
export function cycleCountOf(db: Db, group: string): number {
  return (db.prepare('SELECT count(*) AS n FROM alerts WHERE monitor_group = ?').get(group) as { n: number })
    .n;
}

export type CycleWrite = {
  status: string;
  cycleKey?: string;
  closed: boolean;
  claimed: boolean;
  at: Date;
};

export function insertCycle(db: Db, id: string, group: string, w: CycleWrite): void {
  const at = w.at.toISOString();
  db.prepare(
    `INSERT INTO alerts (dedupe_key, monitor_group, cycle_key, status, first_seen, last_seen, count, closed_at, claimed_at)
     VALUES (?,?,?,?,?,?,1,?,?)`,
  ).run(id, group, w.cycleKey ?? null, w.status, at, at, w.closed ? at : null, w.claimed ? at : null);
}

/** Records a sighting: state as the rules left it; `claimed` starts an attempt, otherwise the claim is kept. */
export function updateCycle(db: Db, id: string, w: CycleWrite): void {
  const at = w.at.toISOString();
  db.prepare(
    `UPDATE alerts SET status = ?, cycle_key = coalesce(cycle_key, ?), last_seen = ?, count = count + 1,
       closed_at = CASE WHEN ? THEN coalesce(closed_at, ?) ELSE NULL END,
       claimed_at = CASE WHEN ? THEN ? ELSE claimed_at END
     WHERE dedupe_key = ?`,
  ).run(w.status, w.cycleKey ?? null, at, w.closed ? 1 : 0, at, w.claimed ? 1 : 0, at, id);
}

/** A sighting that changes nothing but the count. */
export function countSighting(db: Db, id: string, at: Date): void {
  db.prepare('UPDATE alerts SET last_seen = ?, count = count + 1 WHERE dedupe_key = ?').run(
    at.toISOString(),
    id,
  );
}

/** Puts back the state a sighting changed (its note could not be posted), so a redelivery tries again. */
export function restoreCycle(db: Db, before: AlertCycle): void {
  db.prepare('UPDATE alerts SET status = ?, closed_at = ?, cycle_key = ? WHERE dedupe_key = ?').run(
    before.status,
    before.closedAt,
    before.cycleKey,
    before.id,
  );
}

/** The cycle's thread exists: from now on it is handled, and notes go there. */
export function markThreadOpened(db: Db, id: string, channelId: string, threadTs: string): void {
  db.prepare('UPDATE alerts SET channel_id = ?, thread_ts = ?, claimed_at = NULL WHERE dedupe_key = ?').run(
    channelId,
    threadTs,
    id,
  );
}

/** Opening the thread failed: the cycle stays unhandled, and the next notification retries it. */
export function releaseClaim(db: Db, id: string): void {
  db.prepare('UPDATE alerts SET claimed_at = NULL WHERE dedupe_key = ? AND thread_ts IS NULL').run(id);
}

export function linkAlertInvestigation(db: Db, id: string, investigationId: string): void {
  db.prepare('UPDATE alerts SET investigation_id = ? WHERE dedupe_key = ?').run(investigationId, id);
}
