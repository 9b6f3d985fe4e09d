import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { slackSource } from '../../../app/knowledge/slack-source';
import { openDatabase } from '../../../data/db';
import { countChunks, listDocumentIds } from '../../../data/knowledge-store';
import { LocalEmbedder } from '../../../indexer/embed/local';
import { confluenceSource } from '../../../indexer/sources/confluence';
import { notionSource } from '../../../indexer/sources/notion';
import type { KnowledgeSource } from '../../../indexer/sources/source';
import { syncAll, syncSource } from '../../../indexer/sync';
import type { Sandbox } from '../../../sandbox/server';
import { searchKnowledge } from '../../../tools/knowledge/search';
import { demoSandbox } from '../../tools/helpers';

describe('knowledge sources through their real clients against the sandbox', () => {
  let sandbox: Sandbox;
  beforeEach(async () => {
    sandbox = await demoSandbox();
  });
  afterEach(() => sandbox.close());

  // An edit one day after the page's own last edit: relative to the world, never to the calendar.
  const editAndDelete = (source: 'confluence' | 'notion') => {
    const doc = sandbox.scenario.docs.find((d) => d.source === source)!;
    doc.body += '\n\n## Escalation matrix\n\nPage the quokka team for anything involving marsupials.';
    doc.updatedAt = new Date(Date.parse(doc.updatedAt) + 24 * 60 * 60 * 1000).toISOString();
    return doc;
  };

  it.each([
    [
      'confluence',
      () =>
        confluenceSource({
          baseUrl: `${sandbox.url}/wiki`,
          email: 'me@acme.dev',
          token: 't',
          spaces: ['ENG'],
        }),
    ],
    ['notion', () => notionSource({ token: 'secret_t', baseUrl: sandbox.url })],
  ] as const)(
    '%s: first sync, incremental second sync, edits re-chunked, deletions removed',
    async (name, make) => {
      const db = openDatabase(':memory:');
      const embedder = new LocalEmbedder();
      const source: KnowledgeSource = make();
      const first = await syncSource(db, embedder, source);
      expect(first).toMatchObject({ fetched: 1, changed: 1, deleted: 0 });
      const second = await syncSource(db, embedder, source);
      expect(second).toMatchObject({ fetched: 0, changed: 0, deleted: 0 });
      editAndDelete(name);
      const third = await syncSource(db, embedder, source);
      expect(third).toMatchObject({ fetched: 1, changed: 1 });
      expect((await searchKnowledge({ db, embedder }, 'quokka marsupials escalation'))[0]?.source).toBe(name);
      sandbox.scenario.docs = sandbox.scenario.docs.filter((d) => d.source !== name);
      const fourth = await syncSource(db, embedder, source);
      expect(fourth.deleted).toBe(1);
      expect(listDocumentIds(db, name)).toEqual([]);
      expect(countChunks(db)).toBe(0);
    },
  );

  it('slack: threads become documents with channel privacy; the second sync only reads newer messages; ACL holds', async () => {
    const db = openDatabase(':memory:');
    const embedder = new LocalEmbedder();
    const source = slackSource({
      token: 'xoxb-t',
      apiUrl: `${sandbox.url}/api/`,
      channels: ['C0INCIDENT', 'G0PAYONCALL'],
    });
    const first = await syncSource(db, embedder, source);
    // Three threads and the DataDog alert card (its content is in attachments, not `text`).
    expect(first.fetched).toBe(4);
    expect(listDocumentIds(db, 'slack')).toContain('C0INCIDENT:1773324300.000200');
    expect(await syncSource(db, embedder, source)).toMatchObject({ fetched: 0, changed: 0, deleted: 0 });
    const channel = sandbox.scenario.slack.incidents!;
    channel.push({ ts: '1773400000.000100', user: 'U0NEW', text: 'new outage chatter about kafka lag' });
    expect(await syncSource(db, embedder, source)).toMatchObject({ fetched: 1, changed: 1, deleted: 0 });
    // Inside the lookback window: a reply to a recent thread and an edit are re-indexed, a deletion removed.
    channel.push({
      ts: '1773400100.000100',
      user: 'U0OMAR',
      text: 'lag is from the orders consumer',
      threadTs: '1773400000.000100',
    });
    channel.find((m) => m.ts === '1773300000.000100')!.text =
      'inventory deploy failed health checks (edited: no impact)';
    const edited = await syncSource(db, embedder, source);
    expect(edited).toMatchObject({ fetched: 2, changed: 2, deleted: 0 });
    expect(
      (await searchKnowledge({ db, embedder }, 'orders consumer lag', { channelId: 'C0INCIDENT' }))[0]!.id,
    ).toBe('C0INCIDENT:1773400000.000100');
    channel.splice(
      channel.findIndex((m) => m.ts === '1773300000.000100'),
      1,
    );
    expect(await syncSource(db, embedder, source)).toMatchObject({ fetched: 0, deleted: 1 });
    expect(listDocumentIds(db, 'slack')).not.toContain('C0INCIDENT:1773300000.000100');
    // Outside the window (the 2025 thread) nothing is re-read; `--full` still reconciles everything.
    expect(listDocumentIds(db, 'slack')).toContain('C0INCIDENT:1762272720.000100');
    const q = 'rotating the Stripe restricted key';
    expect(
      (await searchKnowledge({ db, embedder }, q, { channelId: 'C0INCIDENT' })).some((h) =>
        h.id.startsWith('G0PAYONCALL'),
      ),
    ).toBe(false);
    expect((await searchKnowledge({ db, embedder }, q, { channelId: 'G0PAYONCALL' }))[0]!.id).toMatch(
      /^G0PAYONCALL:/,
    );
  });

  it('one failing source never stops the others', async () => {
    const db = openDatabase(':memory:');
    const broken = confluenceSource({ baseUrl: sandbox.url, email: 'x', token: 'y', spaces: [] });
    sandbox.faults.add('/wiki', { status: 500 });
    const stats = await syncAll(db, new LocalEmbedder(), [
      broken,
      notionSource({ token: 'secret_t', baseUrl: sandbox.url }),
    ]);
    expect(stats.confluence!.errors[0]).toMatch(/Confluence 500/);
    expect(stats.notion).toMatchObject({ fetched: 1, errors: [] });
  });
});
