import type { Db } from './db';

/** One interface for every embedding provider; vectors are L2-normalized. */
export interface Embedder {
  readonly provider: string;
  readonly model: string;
  readonly dimensions: number;
  embed(texts: readonly string[]): Promise<Float32Array[]>;
}

/** Documents, chunks, per-space vectors and the FTS index: everything retrieval reads. */
export type DocumentInput = {
  source: string;
  externalId: string;
  title: string;
  url?: string;
  space?: string;
  service?: string;
  /** Slack: the channel a message came from; private ones are only visible in that channel. */
  channelId?: string;
  isPrivate?: boolean;
  updatedAt: string;
  contentHash: string;
  meta?: Record<string, unknown>;
};

export type ChunkInput = {
  ord: number;
  titlePath: string;
  text: string;
  tokenCount: number;
  contentHash: string;
};

export type SearchFilter = { sources?: string[]; space?: string; service?: string; channelId?: string };

export type SearchHit = {
  chunkId: number;
  documentId: number;
  source: string;
  externalId: string;
  title: string;
  url: string | null;
  titlePath: string;
  text: string;
  score: number;
  vectorRank?: number;
  textRank?: number;
};

export type EmbeddingSpace = { provider: string; model: string; dimensions: number };

/** Reciprocal rank fusion constant (Cormack et al.): dampens the weight of top ranks. */
export const RRF_K = 60;

export function upsertDocument(db: Db, doc: DocumentInput): { id: number; changed: boolean } {
  const existing = db
    .prepare('SELECT id, content_hash FROM documents WHERE source = ? AND external_id = ?')
    .get(doc.source, doc.externalId) as { id: number; content_hash: string } | undefined;
  const values = [
    doc.title,
    doc.url ?? null,
    doc.space ?? null,
    doc.service ?? null,
    doc.channelId ?? null,
    doc.isPrivate ? 1 : 0,
    doc.updatedAt,
    doc.contentHash,
    JSON.stringify(doc.meta ?? {}),
  ];
  if (existing) {
    db.prepare(
      `UPDATE documents SET title=?, url=?, space=?, service=?, channel_id=?, is_private=?, updated_at=?, content_hash=?, meta=? WHERE id=?`,
    ).run(...values, existing.id);
    return { id: existing.id, changed: existing.content_hash !== doc.contentHash };
  }
  const info = db
    .prepare(
      `INSERT INTO documents (title, url, space, service, channel_id, is_private, updated_at, content_hash, meta, source, external_id)
       VALUES (?,?,?,?,?,?,?,?,?,?,?)`,
    )
    .run(...values, doc.source, doc.externalId);
  return { id: Number(info.lastInsertRowid), changed: true };
}

/** Replaces a document's chunks (their vectors and FTS rows go with them). */
export function replaceChunks(db: Db, documentId: number, chunks: readonly ChunkInput[]): void {
  db.transaction(() => {
    dropVectorsOf(db, 'SELECT id FROM chunks WHERE document_id = ?', documentId);
    db.prepare('DELETE FROM chunks WHERE document_id = ?').run(documentId);
    const insert = db.prepare(
      'INSERT INTO chunks (document_id, ord, title_path, text, token_count, content_hash) VALUES (?,?,?,?,?,?)',
    );
    for (const c of chunks) insert.run(documentId, c.ord, c.titlePath, c.text, c.tokenCount, c.contentHash);
  })();
}

export function deleteDocument(db: Db, source: string, externalId: string): boolean {
  return db.transaction(() => {
    const row = db
      .prepare('SELECT id FROM documents WHERE source = ? AND external_id = ?')
      .get(source, externalId) as { id: number } | undefined;
    if (!row) return false;
    dropVectorsOf(db, 'SELECT id FROM chunks WHERE document_id = ?', row.id);
    db.prepare('DELETE FROM documents WHERE id = ?').run(row.id);
    return true;
  })();
}

/** External ids of a source's documents (optionally of one space): to find deletions. */
export function listDocumentIds(db: Db, source: string, space?: string): string[] {
  const rows =
    space === undefined
      ? db.prepare('SELECT external_id FROM documents WHERE source = ?').all(source)
      : db.prepare('SELECT external_id FROM documents WHERE source = ? AND space = ?').all(source, space);
  return (rows as { external_id: string }[]).map((r) => r.external_id);
}

/** External id -> content hash of a source's documents (to tell changed from re-read). */
export function documentHashes(db: Db, source: string): Map<string, string> {
  const rows = db
    .prepare('SELECT external_id AS id, content_hash AS hash FROM documents WHERE source = ?')
    .all(source) as { id: string; hash: string }[];
  return new Map(rows.map((r) => [r.id, r.hash]));
}

export function countChunks(db: Db): number {
  return (db.prepare('SELECT count(*) AS n FROM chunks').get() as { n: number }).n;
}

function vecTable(spaceId: number): string {
  return `vec_space_${spaceId}`;
}

function spaceIds(db: Db): number[] {
  return (db.prepare('SELECT id FROM embedding_spaces').all() as { id: number }[]).map((r) => r.id);
}

function dropVectorsOf(db: Db, chunkSelect: string, arg: number): void {
  for (const id of spaceIds(db)) {
    db.prepare(`DELETE FROM ${vecTable(id)} WHERE rowid IN (${chunkSelect})`).run(arg);
  }
}

/** Returns the id of an embedding space, creating its vec0 table on first use. Spaces never mix. */
export function getEmbeddingSpace(db: Db, space: EmbeddingSpace): number {
  const find = () =>
    db
      .prepare('SELECT id FROM embedding_spaces WHERE provider = ? AND model = ? AND dimensions = ?')
      .get(space.provider, space.model, space.dimensions) as { id: number } | undefined;
  const found = find();
  if (found) return found.id;
  return db.transaction(() => {
    const info = db
      .prepare('INSERT INTO embedding_spaces (provider, model, dimensions) VALUES (?,?,?)')
      .run(space.provider, space.model, space.dimensions);
    const id = Number(info.lastInsertRowid);
    db.exec(
      `CREATE VIRTUAL TABLE ${vecTable(id)} USING vec0(embedding float[${Math.trunc(space.dimensions)}] distance_metric=cosine)`,
    );
    return id;
  })();
}

/** Chunks with no vector in this space, or whose text changed since it was embedded. */
export function chunksNeedingEmbedding(
  db: Db,
  spaceId: number,
  limit: number,
): { chunkId: number; text: string; contentHash: string }[] {
  return db
    .prepare(
      `SELECT c.id AS chunkId, c.title_path || char(10) || c.text AS text, c.content_hash AS contentHash
       FROM chunks c LEFT JOIN chunk_embeddings e ON e.chunk_id = c.id AND e.space_id = ?
       WHERE e.chunk_id IS NULL OR e.content_hash != c.content_hash
       ORDER BY c.id LIMIT ?`,
    )
    .all(spaceId, limit) as { chunkId: number; text: string; contentHash: string }[];
}

export function storeEmbeddings(
  db: Db,
  spaceId: number,
  rows: readonly { chunkId: number; vector: Float32Array; contentHash: string }[],
): void {
  const del = db.prepare(`DELETE FROM ${vecTable(spaceId)} WHERE rowid = ?`);
  const ins = db.prepare(`INSERT INTO ${vecTable(spaceId)} (rowid, embedding) VALUES (?, ?)`);
  const mark = db.prepare(
    'INSERT INTO chunk_embeddings (chunk_id, space_id, content_hash) VALUES (?,?,?) ON CONFLICT(chunk_id, space_id) DO UPDATE SET content_hash = excluded.content_hash',
  );
  db.transaction(() => {
    for (const r of rows) {
      del.run(BigInt(r.chunkId));
      ins.run(BigInt(r.chunkId), Buffer.from(r.vector.buffer, r.vector.byteOffset, r.vector.byteLength));
      mark.run(r.chunkId, spaceId, r.contentHash);
    }
  })();
}

type ChunkRow = Omit<SearchHit, 'score' | 'vectorRank' | 'textRank'> & {
  space: string | null;
  service: string | null;
  channelId: string | null;
  isPrivate: number;
};

const CHUNK_COLUMNS = `c.id AS chunkId, d.id AS documentId, d.source, d.external_id AS externalId, d.title, d.url,
  c.title_path AS titlePath, c.text, d.space, d.service, d.channel_id AS channelId, d.is_private AS isPrivate`;

/** The filter as a pure predicate; the ACL rule lives here and only here. */
export function passesFilter(
  row: Pick<ChunkRow, 'source' | 'space' | 'service' | 'channelId' | 'isPrivate'>,
  f: SearchFilter,
): boolean {
  if (row.isPrivate && (f.channelId === undefined || row.channelId !== f.channelId)) return false;
  if (f.sources && f.sources.length > 0 && !f.sources.includes(row.source)) return false;
  if (f.space !== undefined && row.space !== f.space) return false;
  if (f.service !== undefined && row.service !== null && row.service !== f.service) return false;
  return true;
}

function loadChunks(db: Db, ids: number[]): Map<number, ChunkRow> {
  if (ids.length === 0) return new Map();
  const rows = db
    .prepare(
      `SELECT ${CHUNK_COLUMNS} FROM chunks c JOIN documents d ON d.id = c.document_id WHERE c.id IN (${ids.map(() => '?').join(',')})`,
    )
    .all(...ids) as ChunkRow[];
  return new Map(rows.map((r) => [r.chunkId, r]));
}

function toHit(row: ChunkRow, score: number): SearchHit {
  const { space: _s, service: _v, channelId: _c, isPrivate: _p, ...hit } = row;
  return { ...hit, score };
}

/**
 * KNN in one embedding space. sqlite-vec's KNN cannot apply our joins, so it oversamples and
 * filters, widening until k hits pass or the table is exhausted (recall is never lost).
 */
export function vectorSearch(
  db: Db,
  spaceId: number,
  query: Float32Array,
  k: number,
  filter: SearchFilter = {},
): SearchHit[] {
  const total = (db.prepare(`SELECT count(*) AS n FROM ${vecTable(spaceId)}`).get() as { n: number }).n;
  const blob = Buffer.from(query.buffer, query.byteOffset, query.byteLength);
  for (let want = Math.max(k * 4, 32); ; want *= 4) {
    const limit = Math.min(want, Math.max(total, 1));
    const rows = db
      .prepare(
        `SELECT rowid AS id, distance FROM ${vecTable(spaceId)} WHERE embedding MATCH ? AND k = ? ORDER BY distance`,
      )
      .all(blob, limit) as { id: number; distance: number }[];
    const chunks = loadChunks(
      db,
      rows.map((r) => Number(r.id)),
    );
    const hits: SearchHit[] = [];
    for (const r of rows) {
      const row = chunks.get(Number(r.id));
      if (row && passesFilter(row, filter)) hits.push(toHit(row, 1 - r.distance));
      if (hits.length === k) break;
    }
    if (hits.length >= k || limit >= total) return hits;
  }
}

/** Turns free text into a safe FTS5 query: quoted phrases kept, every other word quoted, OR-ed. */
export function toFtsQuery(text: string): string | null {
  const phrases: string[] = [];
  const rest = text.replace(/"([^"]+)"/g, (_m, p: string) => {
    const words = p.match(/[\p{L}\p{N}_]+/gu);
    if (words) phrases.push(`"${words.join(' ')}"`);
    return ' ';
  });
  const words = (rest.match(/[\p{L}\p{N}_]+/gu) ?? []).filter((w) => w.length > 1).map((w) => `"${w}"`);
  const parts = [...phrases, ...words];
  return parts.length === 0 ? null : parts.join(' OR ');
}

/** BM25 over chunk text and title path. Never throws on user text. */
export function textSearch(db: Db, query: string, k: number, filter: SearchFilter = {}): SearchHit[] {
  const fts = toFtsQuery(query);
  if (!fts) return [];
  const rows = db
    .prepare(
      `SELECT ${CHUNK_COLUMNS}, bm25(chunks_fts, 2.0, 1.0) AS rank
       FROM chunks_fts JOIN chunks c ON c.id = chunks_fts.rowid JOIN documents d ON d.id = c.document_id
       WHERE chunks_fts MATCH ? ORDER BY rank LIMIT ?`,
    )
    .all(fts, Math.max(k * 4, 50)) as (ChunkRow & { rank: number })[];
  return rows
    .filter((r) => passesFilter(r, filter))
    .slice(0, k)
    .map((r) => toHit(r, -r.rank));
}

/** Vector KNN and BM25 fused by reciprocal rank fusion. */
export function hybridSearch(
  db: Db,
  spaceId: number,
  query: { text: string; vector: Float32Array },
  k: number,
  filter: SearchFilter = {},
): SearchHit[] {
  const depth = Math.max(k * 4, 40);
  const vector = vectorSearch(db, spaceId, query.vector, depth, filter);
  const text = textSearch(db, query.text, depth, filter);
  return fuseByRank(vector, text).slice(0, k);
}

/** Pure RRF: score = Σ 1/(RRF_K + rank). Keeps each list's rank for explanation. */
export function fuseByRank(vector: readonly SearchHit[], text: readonly SearchHit[]): SearchHit[] {
  const fused = new Map<number, SearchHit>();
  vector.forEach((h, i) => {
    fused.set(h.chunkId, { ...h, score: 1 / (RRF_K + i + 1), vectorRank: i + 1 });
  });
  text.forEach((h, i) => {
    const prior = fused.get(h.chunkId);
    const add = 1 / (RRF_K + i + 1);
    fused.set(
      h.chunkId,
      prior ? { ...prior, score: prior.score + add, textRank: i + 1 } : { ...h, score: add, textRank: i + 1 },
    );
  });
  return [...fused.values()].sort((a, b) => b.score - a.score);
}
