import { describe, expect, it } from 'vitest';
import { indexScenario } from '../../app/scenario/knowledge';
import { openDatabase } from '../../data/db';
import { chunkMarkdown, chunkMessages } from '../../indexer/chunk';
import { LocalEmbedder } from '../../indexer/embed/local';
import { loadScenario } from '../../sandbox/scenario';
import { searchKnowledge } from '../../tools/knowledge/search';
import { DEMO } from '../tools/helpers';

describe('chunking', () => {
  it('keeps the heading path and splits long sections into overlapping chunks', () => {
    const long = Array.from(
      { length: 80 },
      (_, i) => `Paragraph ${i} about connection pools and retries with enough words to count.`,
    ).join('\n\n');
    const chunks = chunkMarkdown('Runbook', `# Runbook\n\n## Database\n\n### Pools\n\n${long}`);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks[0]!.titlePath).toBe('Runbook > Database > Pools');
    expect(chunks.every((c) => c.tokenCount <= 700)).toBe(true);
    const firstOfSecond = chunks[1]!.text.split('\n\n')[0]!;
    expect(chunks[0]!.text.split('\n\n')).toContain(firstOfSecond);
  });

  it('splits a long Slack thread on message boundaries', () => {
    const messages = Array.from(
      { length: 120 },
      (_, i) => `<@U${i}>: message number ${i} with some words about the incident`,
    );
    const chunks = chunkMessages('#incidents', messages);
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks)
      for (const line of c.text.split('\n\n')) expect(line).toMatch(/^<@U\d+>: message number \d+/);
  });
});

describe('the local embedder', () => {
  it('is deterministic, normalized, and puts related text closer than unrelated text', async () => {
    const e = new LocalEmbedder(384);
    const [a, b, c] = await e.embed([
      'database connection pool exhausted',
      'connection pool exhaustion in the database',
      'marketing banner colour',
    ]);
    const dot = (x: Float32Array, y: Float32Array) => x.reduce((s, v, i) => s + v * y[i]!, 0);
    expect(dot(a!, a!)).toBeCloseTo(1, 5);
    expect(dot(a!, b!)).toBeGreaterThan(dot(a!, c!) + 0.2);
    expect((await e.embed(['database connection pool exhausted']))[0]).toEqual(a);
  });
});

describe('scenario indexing and retrieval', () => {
  it('indexes docs, incidents and Slack once; a second run changes nothing; an edit is re-chunked; a deletion disappears', async () => {
    const db = openDatabase(':memory:');
    const scenario = loadScenario(DEMO);
    const embedder = new LocalEmbedder();
    const first = await indexScenario(db, scenario, embedder);
    expect(first.runbook).toMatchObject({
      fetched: scenario.docs.length,
      changed: scenario.docs.length,
      deleted: 0,
    });
    const second = await indexScenario(db, scenario, embedder);
    expect(second.runbook!.changed + second.rootly!.changed + second.slack!.changed).toBe(0);
    scenario.docs[0]!.body += '\n\n## New section\nThe flux capacitor needs recalibration.';
    scenario.docs.splice(1, 1);
    const third = await indexScenario(db, scenario, embedder);
    expect(third.runbook).toMatchObject({ changed: 1, deleted: 1 });
    expect((await searchKnowledge({ db, embedder }, 'flux capacitor recalibration'))[0]!.id).toBe(
      scenario.docs[0]!.id,
    );
  });

  it('finds the runbook for a paraphrased question and scopes private Slack channels to themselves', async () => {
    const db = openDatabase(':memory:');
    const scenario = loadScenario(DEMO);
    const embedder = new LocalEmbedder();
    await indexScenario(db, scenario, embedder);
    const hits = await searchKnowledge(
      { db, embedder },
      'what do I do when customers get server errors placing an order at checkout',
      { sources: ['runbook'] },
    );
    expect(hits.map((h) => h.id)).toContain('runbooks/checkout-errors.md');
    const privateQuery = 'rotating the Stripe restricted key';
    expect(
      (
        await searchKnowledge({ db, embedder }, privateQuery, { sources: ['slack'], channelId: 'C0INCIDENT' })
      ).some((h) => h.id.startsWith('G0PAYONCALL')),
    ).toBe(false);
    expect(
      (
        await searchKnowledge({ db, embedder }, privateQuery, {
          sources: ['slack'],
          channelId: 'G0PAYONCALL',
        })
      )[0]!.id,
    ).toMatch(/^G0PAYONCALL:/);
  });
});
