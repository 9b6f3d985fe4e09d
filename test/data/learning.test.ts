import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../data/db';
import { upsertDocument } from '../../data/knowledge-store';
import {
  activeLearningRun,
  activePriors,
  disableLearning,
  type ExampleRow,
  listLearningRuns,
  nearestExamples,
  type PriorRow,
  pruneLearningRuns,
  rollbackLearning,
  saveLearningRun,
} from '../../data/learning';

const prior = (value: number): PriorRow => ({
  kind: 'tool',
  scope: 'checkout|error_rate',
  key: 'github.changes',
  value,
  support: 3,
  reason: 'r',
});
const vector = (x: number) => new Float32Array([x, 1 - x, 0]);
const example = (id: string, channelId: string | null): ExampleRow => ({
  investigationId: id,
  channelId,
  scope: 'checkout|error_rate',
  rating: 2,
  text: `example from ${id}`,
  spaceId: 1,
  embedding: vector(1),
});

describe('the learning store', () => {
  it('keeps every run: the newest is active, rollback returns to the previous one, off uses none', () => {
    const db = openDatabase(':memory:');
    const first = saveLearningRun(db, {
      createdAt: '2026-11-01T00:00:00Z',
      priors: [prior(0.6)],
      examples: [],
      stats: {},
    });
    const second = saveLearningRun(db, {
      createdAt: '2026-11-02T00:00:00Z',
      priors: [prior(0.8)],
      examples: [],
      stats: {},
    });
    expect(activeLearningRun(db)!.id).toBe(second);
    expect(activePriors(db, ['checkout|error_rate'])[0]!.value).toBe(0.8);
    expect(rollbackLearning(db)).toBe(first);
    expect(activePriors(db, ['checkout|error_rate'])[0]!.value).toBe(0.6);
    disableLearning(db);
    expect(activePriors(db, ['checkout|error_rate'])).toEqual([]);
    expect(activeLearningRun(db)).toBeUndefined();
  });

  it('prunes old runs but never the active one', () => {
    const db = openDatabase(':memory:');
    const ids = [1, 2, 3, 4].map((d) =>
      saveLearningRun(db, {
        createdAt: `2026-11-0${d}T00:00:00Z`,
        priors: [prior(d / 10)],
        examples: [],
        stats: {},
      }),
    );
    rollbackLearning(db);
    rollbackLearning(db);
    // Active is now the second run; keeping 2 keeps the two newest and the active one.
    expect(pruneLearningRuns(db, 2)).toBe(1);
    expect(listLearningRuns(db).map((r) => [r.id, r.active])).toEqual([
      [ids[1], true],
      [ids[2], false],
      [ids[3], false],
    ]);
    expect(db.prepare('SELECT count(*) AS n FROM learned_priors WHERE run_id = ?').get(ids[0])).toEqual({
      n: 0,
    });
  });

  it("never shows a private channel's investigation as an example in another channel", () => {
    const db = openDatabase(':memory:');
    db.prepare(
      "INSERT INTO embedding_spaces (id, provider, model, dimensions) VALUES (1, 't', 'm', 3)",
    ).run();
    // C0PUBLIC is known public: its messages are indexed as not private.
    upsertDocument(db, {
      source: 'slack',
      externalId: 'C0PUBLIC:1.0',
      title: 't',
      channelId: 'C0PUBLIC',
      isPrivate: false,
      updatedAt: '2026-11-01',
      contentHash: 'h',
    });
    saveLearningRun(db, {
      createdAt: '2026-11-01T00:00:00Z',
      priors: [],
      examples: [example('cli', null), example('public', 'C0PUBLIC'), example('private', 'G0PRIVATE')],
      stats: {},
    });
    const seenFrom = (channelId?: string) =>
      nearestExamples(db, { spaceId: 1, vector: vector(1), channelId }, 10, 0.5)
        .map((e) => e.investigationId)
        .sort();
    expect(seenFrom('C0OTHER')).toEqual(['cli', 'public']);
    expect(seenFrom(undefined)).toEqual(['cli', 'public']);
    expect(seenFrom('G0PRIVATE')).toEqual(['cli', 'private', 'public']);
    // Too far away is not "similar".
    expect(nearestExamples(db, { spaceId: 1, vector: vector(0) }, 10, 0.5)).toEqual([]);
  });
});
