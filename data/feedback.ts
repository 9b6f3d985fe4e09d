import type { Db } from './db';

/** Explicit feedback: idempotent per user + investigation + kind + value, retractable. */
export type FeedbackInput = {
  investigationId: string;
  userId: string;
  kind: string;
  value: string;
  text?: string;
  at: Date;
};
export type FeedbackRow = Omit<FeedbackInput, 'at'> & {
  id: number;
  createdAt: string;
  retractedAt: string | null;
};

/** Returns true when this is new (or a retracted one restored), false when it was already recorded. */
export function recordFeedback(db: Db, f: FeedbackInput): boolean {
  const info = db
    .prepare(
      `INSERT INTO feedback (investigation_id, user_id, kind, value, text, created_at) VALUES (?,?,?,?,?,?)
       ON CONFLICT(user_id, investigation_id, kind, value) DO UPDATE SET retracted_at = NULL, text = coalesce(excluded.text, feedback.text)
       WHERE feedback.retracted_at IS NOT NULL OR excluded.text IS NOT NULL`,
    )
    .run(f.investigationId, f.userId, f.kind, f.value, f.text ?? null, f.at.toISOString());
  return info.changes > 0;
}

export function retractFeedback(db: Db, f: Omit<FeedbackInput, 'text'>): boolean {
  return (
    db
      .prepare(
        'UPDATE feedback SET retracted_at = ? WHERE investigation_id = ? AND user_id = ? AND kind = ? AND value = ? AND retracted_at IS NULL',
      )
      .run(f.at.toISOString(), f.investigationId, f.userId, f.kind, f.value).changes > 0
  );
}

export function listFeedback(db: Db, investigationId?: string, includeRetracted = false): FeedbackRow[] {
  const where = [
    investigationId ? 'investigation_id = @inv' : '1',
    includeRetracted ? '1' : 'retracted_at IS NULL',
  ].join(' AND ');
  return db
    .prepare(
      `SELECT id, investigation_id AS investigationId, user_id AS userId, kind, value, text, created_at AS createdAt, retracted_at AS retractedAt
       FROM feedback WHERE ${where} ORDER BY id`,
    )
    .all(investigationId ? { inv: investigationId } : {}) as FeedbackRow[];
}
