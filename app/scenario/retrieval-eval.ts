import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { openDatabase } from '../../data/db';
import {
  getEmbeddingSpace,
  hybridSearch,
  type SearchHit,
  textSearch,
  vectorSearch,
} from '../../data/knowledge-store';
import { LocalEmbedder } from '../../indexer/embed/local';
import { syncDocuments } from '../../indexer/pipeline';
import { scenarioDocuments } from './knowledge';
import { listScenarioDirs, loadScenario } from './sandbox';

/**
 * Retrieval quality on a labeled set: every bundled scenario's docs pooled into one index (so
 * other worlds' pages compete), recall@5 for hybrid, vector-only and text-only retrieval.
 */
const QuerySchema = z.array(
  z.object({ scenario: z.string(), query: z.string().min(3), relevant: z.array(z.string()).min(1) }),
);

type Rates = { hybrid: number; vector: number; text: number };
/** Recall@k per method, and the stricter top-1 accuracy that separates them on a small corpus. */
export type RetrievalReport = Rates & {
  queries: number;
  k: number;
  documents: number;
  top1: Rates;
  misses: { query: string; expected: string[]; got: string[] }[];
};

export async function evaluateRetrieval(scenariosDir: string, k = 5): Promise<RetrievalReport> {
  const queries = QuerySchema.parse(
    JSON.parse(readFileSync(join(scenariosDir, 'retrieval-queries.json'), 'utf8')),
  );
  const db = openDatabase(':memory:');
  const embedder = new LocalEmbedder();
  try {
    const docs = listScenarioDirs(scenariosDir).flatMap((dir) => {
      const s = loadScenario(dir);
      return scenarioDocuments(s).runbook.map((d) => ({
        ...d,
        externalId: `${s.manifest.id}/${d.externalId}`,
      }));
    });
    await syncDocuments(db, embedder, 'runbook', docs, { complete: true, now: new Date(0) });
    const space = getEmbeddingSpace(db, {
      provider: embedder.provider,
      model: embedder.model,
      dimensions: embedder.dimensions,
    });
    const topDocs = (hits: SearchHit[]) => [...new Set(hits.map((h) => h.externalId))].slice(0, k);
    const atK: Rates = { hybrid: 0, vector: 0, text: 0 };
    const at1: Rates = { hybrid: 0, vector: 0, text: 0 };
    const misses: RetrievalReport['misses'] = [];
    for (const q of queries) {
      const expected = q.relevant.map((r) => `${q.scenario}/${r}`);
      const [v] = await embedder.embed([q.query]);
      const ranked: Record<keyof Rates, string[]> = {
        hybrid: topDocs(hybridSearch(db, space, { text: q.query, vector: v! }, k * 4)),
        vector: topDocs(vectorSearch(db, space, v!, k * 4)),
        text: topDocs(textSearch(db, q.query, k * 4)),
      };
      for (const m of ['hybrid', 'vector', 'text'] as const) {
        if (expected.some((e) => ranked[m].includes(e))) atK[m] += 1;
        if (ranked[m][0] !== undefined && expected.includes(ranked[m][0]!)) at1[m] += 1;
      }
      if (!expected.some((e) => ranked.hybrid.includes(e)))
        misses.push({ query: q.query, expected, got: ranked.hybrid });
    }
    const n = queries.length;
    const rate = (r: Rates): Rates => ({ hybrid: r.hybrid / n, vector: r.vector / n, text: r.text / n });
    return { queries: n, k, documents: docs.length, ...rate(atK), top1: rate(at1), misses };
  } finally {
    db.close();
  }
}
