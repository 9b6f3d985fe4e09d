import type { Db } from './db';

/**
 * Webhook bodies the intake could not understand. DataDog does not retry a 4xx, so these rows
 * are the only copy: kept (redacted by the caller) until someone replays them.
 */
export type DeadLetter = {
  id: number;
  receivedAt: string;
  error: string;
  body: string;
  replayedAt: string | null;
  replayResult: string | null;
};

const COLUMNS =
  'id, received_at AS receivedAt, error, body, replayed_at AS replayedAt, replay_result AS replayResult';

export function addDeadLetter(db: Db, letter: { error: string; body: string; at: Date }): number {
  return Number(
    db
      .prepare('INSERT INTO webhook_dead_letters (received_at, error, body) VALUES (?,?,?)')
      .run(letter.at.toISOString(), letter.error, letter.body).lastInsertRowid,
  );
}

export function getDeadLetter(db: Db, id: number): DeadLetter | undefined {
  return db.prepare(`SELECT ${COLUMNS} FROM webhook_dead_letters WHERE id = ?`).get(id) as
    | DeadLetter
    | undefined;
}

/** Oldest first; replayed ones only when asked for. */
export function listDeadLetters(db: Db, opts: { includeReplayed?: boolean } = {}): DeadLetter[] {
  const where = opts.includeReplayed ? '' : 'WHERE replayed_at IS NULL';
  return db.prepare(`SELECT ${COLUMNS} FROM webhook_dead_letters ${where} ORDER BY id`).all() as DeadLetter[];
}

export function markReplayed(db: Db, id: number, result: string, at: Date): void {
  db.prepare('UPDATE webhook_dead_letters SET replayed_at = ?, replay_result = ? WHERE id = ?').run(
    at.toISOString(),
    result,
    id,
  );
}
