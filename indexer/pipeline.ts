import { finishIndexRun, type IndexRunStats, startIndexRun } from '../data/cursors';
import type { Db } from '../data/db';
import type { Embedder } from '../data/knowledge-store';
import {
  chunksNeedingEmbedding,
  type DocumentInput,
  deleteDocument,
  getEmbeddingSpace,
  listDocumentIds,
  replaceChunks,
  storeEmbeddings,
  upsertDocument,
} from '../data/knowledge-store';
import { redactDeep, redactText } from '../lib/redact';
import { type Chunk, hashText } from './chunk';

/** A fetched document, normalized and chunked, ready for the store. */
export type SourceDocument = DocumentInput & { chunks: Chunk[] };

export const EMBED_BATCH = 64;

/**
 * Upserts a source's documents (re-chunking only changed ones), removes documents the source no
 * longer has (when `complete`), embeds what is missing in the embedder's space, records the run.
 */
export async function syncDocuments(
  db: Db,
  embedder: Embedder,
  source: string,
  docs: readonly SourceDocument[],
  options: {
    /** `docs` is everything the source has: documents not in it are deleted. */
    complete: boolean;
    /** For incremental syncs: the ids the source still has (documents not in it are deleted). */
    presentIds?: ReadonlySet<string>;
    /** Ids the source reports gone (an incremental re-read of a window). */
    deletedIds?: ReadonlySet<string>;
    now: Date;
    onProgress?: (done: number, total: number) => void;
    /** Configured secret values, redacted (with secret patterns) before anything is stored. */
    secrets?: readonly string[];
  },
): Promise<IndexRunStats> {
  const run = startIndexRun(db, source, options.now);
  const stats: IndexRunStats = { fetched: docs.length, changed: 0, deleted: 0, errors: [] };
  db.transaction(() => {
    for (const doc of docs.map((d) => redactDocument(d, options.secrets ?? []))) {
      const { chunks, ...input } = doc;
      const { id, changed } = upsertDocument(db, input);
      if (changed) {
        replaceChunks(db, id, chunks);
        stats.changed += 1;
      }
    }
    if (options.complete || options.presentIds) {
      const present = options.presentIds ?? new Set(docs.map((d) => d.externalId));
      for (const ext of listDocumentIds(db, source)) {
        if (!present.has(ext) && deleteDocument(db, source, ext)) stats.deleted += 1;
      }
    }
    for (const ext of options.deletedIds ?? []) if (deleteDocument(db, source, ext)) stats.deleted += 1;
  })();
  try {
    await embedMissing(db, embedder, options.onProgress);
  } catch (err) {
    stats.errors.push(`embedding failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  finishIndexRun(db, run, stats, new Date());
  return stats;
}

/**
 * A document as it may be stored and shown: title, link, metadata and chunk text redacted. Each
 * chunk's hash is of its redacted text (what is embedded); the document's hash stays the source's,
 * so change detection still follows the source.
 */
export function redactDocument(doc: SourceDocument, secrets: readonly string[]): SourceDocument {
  const clean = (s: string) => redactText(s, secrets);
  return {
    ...doc,
    title: clean(doc.title),
    ...(doc.url === undefined ? {} : { url: clean(doc.url) }),
    ...(doc.meta === undefined ? {} : { meta: redactDeep(doc.meta, secrets) }),
    chunks: doc.chunks.map((c) => {
      const text = clean(c.text);
      return {
        ...c,
        titlePath: clean(c.titlePath),
        text,
        contentHash: text === c.text ? c.contentHash : hashText(text),
      };
    }),
  };
}

export async function embedMissing(
  db: Db,
  embedder: Embedder,
  onProgress?: (done: number, total: number) => void,
): Promise<number> {
  const space = getEmbeddingSpace(db, {
    provider: embedder.provider,
    model: embedder.model,
    dimensions: embedder.dimensions,
  });
  let done = 0;
  for (;;) {
    const batch = chunksNeedingEmbedding(db, space, EMBED_BATCH);
    if (batch.length === 0) return done;
    const vectors = await embedder.embed(batch.map((b) => b.text));
    storeEmbeddings(
      db,
      space,
      batch.map((b, i) => ({ chunkId: b.chunkId, vector: vectors[i]!, contentHash: b.contentHash })),
    );
    done += batch.length;
    onProgress?.(done, done + (batch.length === EMBED_BATCH ? EMBED_BATCH : 0));
  }
}
