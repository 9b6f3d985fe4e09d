import type { Db } from './db';

/** One row per alert cycle: the dedupe record that keeps one investigation per cycle. */
export type AlertCycle = {
  dedupeKey: string;
  firstSeen: string;
  lastSeen: string;
  count: number;
  status: string;
  investigationId: string | null;
};

/**
 * Records a sighting of an alert cycle atomically. `isNew` is true only for the first sighting,
 * so concurrent duplicates (Slack retries, DataDog webhook retries) can never both start a run.
 */
export function touchAlert(db: Db, key: string, status: string, now: Date): AlertCycle & { isNew: boolean } {
  return db
    .transaction(() => {
      const at = now.toISOString();
      const info = db
        .prepare(
          `INSERT INTO alerts (dedupe_key, first_seen, last_seen, count, status) VALUES (?,?,?,1,?) ON CONFLICT DO NOTHING`,
        )
        .run(key, at, at, status);
      if (info.changes === 0) {
        db.prepare('UPDATE alerts SET last_seen = ?, count = count + 1, status = ? WHERE dedupe_key = ?').run(
          at,
          status,
          key,
        );
      }
      return { ...getAlert(db, key)!, isNew: info.changes === 1 };
    })
    .immediate();
}

export function linkAlertInvestigation(db: Db, key: string, investigationId: string): void {
  db.prepare('UPDATE alerts SET investigation_id = ? WHERE dedupe_key = ?').run(investigationId, key);
}

export function getAlert(db: Db, key: string): AlertCycle | undefined {
  return db
    .prepare(
      `SELECT dedupe_key AS dedupeKey, first_seen AS firstSeen, last_seen AS lastSeen, count, status, investigation_id AS investigationId
       FROM alerts WHERE dedupe_key = ?`,
    )
    .get(key) as AlertCycle | undefined;
}
