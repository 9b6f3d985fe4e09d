import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { countSighting, insertCycle } from '../../data/alerts';
import { openDatabase } from '../../data/db';
import { listFeedback, recordFeedback, retractFeedback } from '../../data/feedback';
import {
  createInvestigation,
  getInvestigation,
  getSteps,
  recordStep,
  recordToolCall,
} from '../../data/investigations';
import {
  deleteDocument,
  getEmbeddingSpace,
  hybridSearch,
  replaceChunks,
  storeEmbeddings,
  textSearch,
  toFtsQuery,
  upsertDocument,
  vectorSearch,
} from '../../data/knowledge-store';
import { MIGRATIONS, migrate, schemaVersion } from '../../data/migrations';

function tempDbPath(): string {
  return join(mkdtempSync(join(tmpdir(), 'store-')), 'nested', 'test.db');
}

function unit(dim: number, hot: number[]): Float32Array {
  const v = new Float32Array(dim);
  for (const i of hot) v[i] = 1;
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

function addDoc(
  db: ReturnType<typeof openDatabase>,
  id: string,
  text: string,
  extra: Partial<Parameters<typeof upsertDocument>[1]> = {},
) {
  const doc = upsertDocument(db, {
    source: 'runbook',
    externalId: id,
    title: id,
    updatedAt: '2026-01-01T00:00:00Z',
    contentHash: text,
    ...extra,
  });
  replaceChunks(db, doc.id, [{ ord: 0, titlePath: id, text, tokenCount: 10, contentHash: text }]);
  return doc.id;
}

function chunkIdOf(db: ReturnType<typeof openDatabase>, docId: number): number {
  return (db.prepare('SELECT id FROM chunks WHERE document_id = ?').get(docId) as { id: number }).id;
}

describe('SQLite store', () => {
  it('creates the file on first use and migrates once; re-running is a no-op', () => {
    const path = tempDbPath();
    const db = openDatabase(path);
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    expect(migrate(db)).toBe(0);
    db.close();
    const again = openDatabase(path);
    expect(schemaVersion(again)).toBe(MIGRATIONS.length);
    expect(again.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(again.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('returns the right nearest neighbours from the vector table', () => {
    const db = openDatabase(':memory:');
    const space = getEmbeddingSpace(db, { provider: 'local', model: 'hash', dimensions: 8 });
    const ids = [addDoc(db, 'a', 'alpha'), addDoc(db, 'b', 'beta'), addDoc(db, 'c', 'gamma')];
    storeEmbeddings(db, space, [
      { chunkId: chunkIdOf(db, ids[0]!), vector: unit(8, [0]), contentHash: 'alpha' },
      { chunkId: chunkIdOf(db, ids[1]!), vector: unit(8, [0, 1]), contentHash: 'beta' },
      { chunkId: chunkIdOf(db, ids[2]!), vector: unit(8, [5]), contentHash: 'gamma' },
    ]);
    const hits = vectorSearch(db, space, unit(8, [0]), 2);
    expect(hits.map((h) => h.externalId)).toEqual(['a', 'b']);
    expect(hits[0]!.score).toBeCloseTo(1, 5);
  });

  it('finds exact phrases with FTS and never throws on operator-laden user text', () => {
    const db = openDatabase(':memory:');
    addDoc(db, 'pool', 'When the connection pool is exhausted, raise max_connections.');
    addDoc(db, 'other', 'pool party connection notes exhausted later');
    expect(textSearch(db, '"connection pool is exhausted"', 5).map((h) => h.externalId)).toEqual(['pool']);
    for (const nasty of ['AND OR NOT', '"unbalanced', 'col:val*', '()^-', '']) {
      expect(() => textSearch(db, nasty, 5)).not.toThrow();
    }
    expect(toFtsQuery('  ')).toBeNull();
  });

  it('fuses vector and text ranks, and deleting a document removes its chunks, vectors and FTS rows', () => {
    const db = openDatabase(':memory:');
    const space = getEmbeddingSpace(db, { provider: 'local', model: 'hash', dimensions: 4 });
    const a = addDoc(db, 'a', 'redis eviction storm runbook');
    const b = addDoc(db, 'b', 'kafka consumer lag');
    storeEmbeddings(db, space, [
      { chunkId: chunkIdOf(db, a), vector: unit(4, [0]), contentHash: 'x' },
      { chunkId: chunkIdOf(db, b), vector: unit(4, [1]), contentHash: 'y' },
    ]);
    const hits = hybridSearch(db, space, { text: 'redis eviction', vector: unit(4, [0]) }, 2);
    expect(hits[0]).toMatchObject({ externalId: 'a', vectorRank: 1, textRank: 1 });
    expect(deleteDocument(db, 'runbook', 'a')).toBe(true);
    expect(textSearch(db, 'redis', 5)).toEqual([]);
    expect(vectorSearch(db, space, unit(4, [0]), 5).map((h) => h.externalId)).toEqual(['b']);
  });

  it('returns a private channel chunk only to that same channel', () => {
    const db = openDatabase(':memory:');
    addDoc(db, 'secret-thread', 'database password rotation went wrong', {
      source: 'slack',
      channelId: 'G1',
      isPrivate: true,
    });
    addDoc(db, 'public-thread', 'database failover worked', { source: 'slack', channelId: 'C1' });
    const ids = (channelId?: string) =>
      textSearch(db, 'database', 5, { channelId })
        .map((h) => h.externalId)
        .sort();
    expect(ids('G1')).toEqual(['public-thread', 'secret-thread']);
    expect(ids('C2')).toEqual(['public-thread']);
    expect(ids(undefined)).toEqual(['public-thread']);
  });

  it('keeps embedding spaces apart: a second model has its own vectors', () => {
    const db = openDatabase(':memory:');
    const small = getEmbeddingSpace(db, { provider: 'local', model: 'hash', dimensions: 4 });
    const big = getEmbeddingSpace(db, { provider: 'openai', model: 'text-embedding-3-small', dimensions: 8 });
    expect(big).not.toBe(small);
    const a = addDoc(db, 'a', 'alpha');
    storeEmbeddings(db, small, [{ chunkId: chunkIdOf(db, a), vector: unit(4, [0]), contentHash: 'alpha' }]);
    expect(vectorSearch(db, big, unit(8, [0]), 5)).toEqual([]);
    expect(getEmbeddingSpace(db, { provider: 'local', model: 'hash', dimensions: 4 })).toBe(small);
  });

  it('loses nothing when two connections write to one file at once', async () => {
    const path = tempDbPath();
    const one = openDatabase(path);
    const two = openDatabase(path);
    for (const who of ['x', 'y', 'shared'])
      for (let i = 0; i < 50; i++)
        insertCycle(one, `${who}-${i}`, `${who}-group-${i}`, {
          status: 'triggered',
          closed: false,
          claimed: false,
          at: new Date(Date.UTC(2026, 0, 1)),
        });
    const writer = (db: ReturnType<typeof openDatabase>, who: string) =>
      (async () => {
        for (let i = 0; i < 200; i++) {
          countSighting(db, `${who}-${i % 50}`, new Date(Date.UTC(2026, 0, 1, 0, 0, i)));
          if (i % 10 === 0) await new Promise((r) => setImmediate(r));
        }
      })();
    await Promise.all([writer(one, 'x'), writer(two, 'y'), writer(one, 'shared'), writer(two, 'shared')]);
    const total = one.prepare('SELECT sum(count) AS n, count(*) AS rows FROM alerts').get() as {
      n: number;
      rows: number;
    };
    expect(total).toEqual({ n: 150 + 800, rows: 150 });
  });

  it('a file database reopened in a new process has every row', () => {
    const path = tempDbPath();
    const db = openDatabase(path);
    createInvestigation(db, {
      id: 'inv_1',
      alertKey: 'k',
      alert: { title: 't' },
      planner: 'offline',
      startedAt: '2026-01-01T00:00:00Z',
    });
    recordStep(db, 'inv_1', { n: 1, thought: 'look at metrics', createdAt: '2026-01-01T00:00:01Z' });
    recordToolCall(db, 'inv_1', {
      stepN: 1,
      callId: 'c1',
      tool: 'datadog.metrics',
      input: { q: 1 },
      ok: true,
      summary: 's',
      error: null,
      ms: 3,
    });
    db.close();
    const script = `import { openDatabase } from './data/db'; import { getSteps } from './data/investigations';
      const db = openDatabase(${JSON.stringify(path)}); console.log(JSON.stringify(getSteps(db, 'inv_1')));`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: process.cwd(),
    });
    expect(JSON.parse(out.toString())).toEqual(getSteps(openDatabase(path), 'inv_1'));
    expect(getInvestigation(openDatabase(path), 'inv_1')?.status).toBe('running');
  });

  it('records feedback idempotently per user, investigation, kind and value, and retracts it', () => {
    const db = openDatabase(':memory:');
    createInvestigation(db, {
      id: 'inv_1',
      alertKey: 'k',
      alert: {},
      planner: 'offline',
      startedAt: '2026-01-01T00:00:00Z',
    });
    const f = {
      investigationId: 'inv_1',
      userId: 'U1',
      kind: 'reaction',
      value: 'helpful',
      at: new Date('2026-01-01T01:00:00Z'),
    };
    expect(recordFeedback(db, f)).toBe(true);
    expect(recordFeedback(db, f)).toBe(false);
    expect(listFeedback(db, 'inv_1')).toHaveLength(1);
    expect(retractFeedback(db, f)).toBe(true);
    expect(listFeedback(db, 'inv_1')).toHaveLength(0);
    expect(recordFeedback(db, f)).toBe(true);
    expect(listFeedback(db, 'inv_1', true)).toHaveLength(1);
  });
});

describe('retention', () => {
  it('purges finished investigations older than N days with their steps and feedback, and keeps newer or running ones', async () => {
    const { purgeInvestigationsOlderThan } = await import('../../data/investigations');
    const db = openDatabase(':memory:');
    const now = new Date('2026-06-01T00:00:00Z');
    const add = (id: string, startedAt: string, status: 'completed' | 'running') => {
      createInvestigation(db, { id, alertKey: id, alert: {}, planner: 'offline', startedAt });
      if (status === 'completed')
        db.prepare(`UPDATE investigations SET status = 'completed' WHERE id = ?`).run(id);
      recordStep(db, id, { n: 1, thought: 't', createdAt: startedAt });
      recordFeedback(db, { investigationId: id, userId: 'U', kind: 'rating', value: 'helpful', at: now });
    };
    add('old', '2026-01-01T00:00:00Z', 'completed');
    add('old-running', '2026-01-01T00:00:00Z', 'running');
    add('new', '2026-05-30T00:00:00Z', 'completed');
    const { saveLearningRun } = await import('../../data/learning');
    const example = (investigationId: string) => ({
      investigationId,
      channelId: null,
      scope: 's|other',
      rating: 2,
      text: `worked example of ${investigationId}`,
      spaceId: 1,
      embedding: new Float32Array([1, 0]),
    });
    saveLearningRun(db, {
      createdAt: now.toISOString(),
      priors: [],
      examples: [example('old'), example('new')],
      stats: {},
    });
    expect(purgeInvestigationsOlderThan(db, 90, now)).toBe(1);
    // What learning derived from a purged investigation goes with it.
    expect(db.prepare('SELECT investigation_id AS id FROM learned_examples').all()).toEqual([{ id: 'new' }]);
    expect(getInvestigation(db, 'old')).toBeUndefined();
    expect(getSteps(db, 'old')).toEqual([]);
    expect(
      listFeedback(db)
        .map((f) => f.investigationId)
        .sort(),
    ).toEqual(['new', 'old-running']);
  });
});
