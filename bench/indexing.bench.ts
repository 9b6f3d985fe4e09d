import { openDatabase } from '../data/db';
import { chunkMarkdown, hashText } from '../indexer/chunk';
import { LocalEmbedder } from '../indexer/embed/local';
import { type SourceDocument, syncDocuments } from '../indexer/pipeline';
import type { Benchmark } from './contract';

/** Indexing throughput with the offline embedder: chunk, store, embed, index (chunks per second). */
const WORDS =
  'checkout payments pool connection timeout deploy rollback redis kafka latency error retry queue cpu memory disk dns certificate gateway flag'.split(
    ' ',
  );

function page(i: number): string {
  const para = (j: number) =>
    Array.from({ length: 60 }, (_, w) => WORDS[(i * 7 + j * 3 + w) % WORDS.length]).join(' ');
  return `# Runbook ${i}\n\n## Symptoms\n\n${para(1)}\n\n${para(2)}\n\n## Mitigation\n\n${para(3)}\n\n### Rollback\n\n${para(4)}`;
}

const bench: Benchmark = async () => {
  const db = openDatabase(':memory:');
  const docs: SourceDocument[] = Array.from({ length: 2_000 }, (_, i) => ({
    source: 'runbook',
    externalId: `rb-${i}`,
    title: `Runbook ${i}`,
    updatedAt: '2026-01-01T00:00:00Z',
    contentHash: hashText(page(i)),
    chunks: chunkMarkdown(`Runbook ${i}`, page(i)),
  }));
  const chunks = docs.reduce((a, d) => a + d.chunks.length, 0);
  const t = performance.now();
  await syncDocuments(db, new LocalEmbedder(), 'runbook', docs, { complete: true, now: new Date(0) });
  const seconds = (performance.now() - t) / 1000;
  const again = performance.now();
  const second = await syncDocuments(db, new LocalEmbedder(), 'runbook', docs, {
    complete: true,
    now: new Date(0),
  });
  const resyncMs = performance.now() - again;
  db.close();
  return [
    {
      name: 'indexing',
      metric: `throughput, local embedder (${chunks} chunks)`,
      value: chunks / seconds,
      unit: 'chunks/s',
    },
    {
      name: 'indexing',
      metric: `unchanged re-sync (changed ${second.changed}), vs first sync`,
      value: resyncMs,
      unit: 'ms',
      baseline: seconds * 1000,
      ratio: resyncMs / (seconds * 1000),
    },
  ];
};

export default bench;
