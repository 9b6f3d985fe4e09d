import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLlmClient } from '../../agent/llm/client';
import { rootlySource } from '../../app/knowledge/rootly-source';
import { openDatabase } from '../../data/db';
import { getEmbeddingSpace } from '../../data/knowledge-store';
import { LocalEmbedder } from '../../indexer/embed/local';
import { OpenAIEmbedder } from '../../indexer/embed/openai';
import { syncSource } from '../../indexer/sync';
import type { Sandbox } from '../../sandbox/server';
import { searchKnowledge } from '../../tools/knowledge/search';
import { demoSandbox } from '../tools/helpers';

describe('the openai embedder and the Rootly source against the sandbox', () => {
  let sandbox: Sandbox;
  beforeEach(async () => {
    sandbox = await demoSandbox();
  });
  afterEach(() => sandbox.close());

  it('embeds in batches through the openai client (base64 on the wire), normalized, in its own space', async () => {
    const client = createLlmClient(
      { apiKey: 'k', baseURL: `${sandbox.url}/v1`, model: 'm', toolMode: 'native' },
      { maxRetries: 0 },
    );
    const embedder = new OpenAIEmbedder(client, 'text-embedding-3-small', 384);
    const texts = Array.from({ length: 130 }, (_, i) => `runbook page ${i}`);
    const vectors = await embedder.embed(texts);
    expect(vectors).toHaveLength(130);
    expect(Math.hypot(...vectors[0]!)).toBeCloseTo(1, 5);
    const bodies = sandbox.requests
      .filter((r) => r.path === '/v1/embeddings')
      .map((r) => r.body as { encoding_format?: string; input: string[] });
    expect(bodies.map((b) => b.input.length)).toEqual([96, 34]);
    expect(bodies[0]!.encoding_format).toBe('base64');
    const db = openDatabase(':memory:');
    const local = new LocalEmbedder();
    expect(getEmbeddingSpace(db, embedder)).not.toBe(getEmbeddingSpace(db, local));
  });

  it('indexes Rootly incidents with cause and mitigation through the API', async () => {
    const db = openDatabase(':memory:');
    const embedder = new LocalEmbedder();
    const stats = await syncSource(db, embedder, rootlySource({ token: 't', baseUrl: sandbox.url }));
    expect(stats).toMatchObject({ fetched: 3, changed: 3 });
    const source = rootlySource({ token: 't', baseUrl: sandbox.url });
    // Incremental: the second sync asks only for incidents updated after the newest one seen.
    expect(await syncSource(db, embedder, source)).toMatchObject({ fetched: 0, changed: 0 });
    expect(sandbox.requests.at(-1)!.query['filter[updated_at][gt]']).toBe('2025-12-01T03:10:00Z');
    const incidents = sandbox.scenario.incidents;
    incidents.push({
      ...incidents[0]!,
      id: 'new-1',
      title: 'Checkout timeouts',
      resolvedAt: '2026-03-01T10:00:00Z',
    });
    expect(await syncSource(db, embedder, source)).toMatchObject({ fetched: 1, changed: 1 });
    // --full re-reads everything and removes what Rootly no longer has.
    incidents.pop();
    expect(await syncSource(db, embedder, source, { full: true })).toMatchObject({
      fetched: 3,
      changed: 0,
      deleted: 1,
    });
    const hits = await searchKnowledge(
      { db, embedder },
      'orders without promo code undefined access rolled back',
      { sources: ['rootly'] },
    );
    expect(hits[0]!.id).toBe('3f6d2a1c-7b0e-4c8f-9a11-5e2d7c0b9f31');
  });
});
