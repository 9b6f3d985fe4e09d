import { getCursor, type IndexRunStats, setCursor } from '../data/cursors';
import type { Db } from '../data/db';
import type { Embedder } from '../data/knowledge-store';
import { syncDocuments } from './pipeline';
import type { KnowledgeSource } from './sources/source';

/** One incremental sync of one source: fetch from its cursor, store, embed, move the cursor. */
export async function syncSource(
  db: Db,
  embedder: Embedder,
  source: KnowledgeSource,
  options: {
    full?: boolean;
    now?: Date;
    onProgress?: (done: number, total: number) => void;
    /** Configured secret values, redacted from what is stored. */
    secrets?: readonly string[];
  } = {},
): Promise<IndexRunStats> {
  const now = options.now ?? new Date();
  const cursor = options.full ? undefined : getCursor(db, source.name);
  const fetched = await source.fetch({ db, cursor, full: options.full === true });
  const stats = await syncDocuments(db, embedder, source.name, fetched.docs, {
    complete: false,
    presentIds: fetched.presentIds,
    deletedIds: fetched.deletedIds,
    now,
    onProgress: options.onProgress,
    secrets: options.secrets,
  });
  if (fetched.cursor) setCursor(db, source.name, '', fetched.cursor, now);
  return fetched.warnings?.length ? { ...stats, warnings: fetched.warnings } : stats;
}

/** Syncs every source; one failing source is recorded and never stops the others. */
export async function syncAll(
  db: Db,
  embedder: Embedder,
  sources: readonly KnowledgeSource[],
  options: { full?: boolean; secrets?: readonly string[] } = {},
): Promise<Record<string, IndexRunStats>> {
  const out: Record<string, IndexRunStats> = {};
  for (const s of sources) {
    try {
      out[s.name] = await syncSource(db, embedder, s, options);
    } catch (err) {
      out[s.name] = {
        fetched: 0,
        changed: 0,
        deleted: 0,
        errors: [err instanceof Error ? err.message : String(err)],
      };
    }
  }
  return out;
}
