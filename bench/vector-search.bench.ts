import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../data/db';
import { getEmbeddingSpace, hybridSearch, vectorSearch } from '../data/knowledge-store';
import { type Benchmark, percentile, sample } from './contract';

/**
 * sqlite-vec at 100k chunks x 384 dims: KNN, hybrid (KNN + BM25 + RRF + joins) and the raw
 * brute-force vec0 scan (vec_distance_cosine over every row), side by side in one run.
 */
const CHUNKS = 100_000;
const DIM = 384;
const WORDS =
  'redis kafka postgres timeout latency checkout payments pool exhausted deploy rollback error spike queue lag cpu memory disk dns tls certificate gateway retry'.split(
    ' ',
  );

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function randomVector(next: () => number): Float32Array {
  const v = new Float32Array(DIM);
  let norm = 0;
  for (let i = 0; i < DIM; i++) {
    v[i] = next() - 0.5;
    norm += v[i]! * v[i]!;
  }
  norm = Math.sqrt(norm);
  for (let i = 0; i < DIM; i++) v[i]! /= norm;
  return v;
}

const bench: Benchmark = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-vec-'));
  const db = openDatabase(join(dir, 'bench.db'));
  try {
    const next = rng(42);
    const space = getEmbeddingSpace(db, { provider: 'bench', model: 'random', dimensions: DIM });
    db.transaction(() => {
      const doc = db.prepare(
        `INSERT INTO documents (source, external_id, title, updated_at, content_hash) VALUES ('runbook', ?, ?, '2026-01-01', ?)`,
      );
      const chunk = db.prepare(
        'INSERT INTO chunks (id, document_id, ord, title_path, text, token_count, content_hash) VALUES (?,?,0,?,?,20,?)',
      );
      const vec = db.prepare(`INSERT INTO vec_space_${space} (rowid, embedding) VALUES (?, ?)`);
      for (let i = 1; i <= CHUNKS; i++) {
        const text = Array.from({ length: 20 }, () => WORDS[Math.floor(next() * WORDS.length)]).join(' ');
        const docId = Number(doc.run(`doc-${i}`, `Doc ${i}`, String(i)).lastInsertRowid);
        chunk.run(i, docId, `Doc ${i}`, text, String(i));
        const v = randomVector(next);
        vec.run(BigInt(i), Buffer.from(v.buffer));
      }
    })();
    const queries = Array.from({ length: 8 }, () => randomVector(next));
    let q = 0;
    const query = () => queries[q++ % queries.length]!;
    const rawScan = db.prepare(
      `SELECT rowid, vec_distance_cosine(embedding, ?) AS d FROM vec_space_${space} ORDER BY d LIMIT 10`,
    );
    const iterations = 15;
    const raw = await sample(() => rawScan.all(Buffer.from(query().buffer)), iterations);
    const knn = await sample(() => vectorSearch(db, space, query(), 10), iterations);
    const hybrid = await sample(
      () => hybridSearch(db, space, { text: 'checkout payments timeout', vector: query() }, 10),
      iterations,
    );
    const p50 = (xs: number[]) => percentile(xs, 50);
    return [
      { name: 'vector-search', metric: 'raw vec0 scan p50 (100k x 384)', value: p50(raw), unit: 'ms' },
      {
        name: 'vector-search',
        metric: 'KNN k=10 p50',
        value: p50(knn),
        unit: 'ms',
        baseline: p50(raw),
        ratio: p50(knn) / p50(raw),
      },
      {
        name: 'vector-search',
        metric: 'hybrid query p50 (target ratio <= 1.5)',
        value: p50(hybrid),
        unit: 'ms',
        baseline: p50(raw),
        ratio: p50(hybrid) / p50(raw),
      },
    ];
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
};

export default bench;
