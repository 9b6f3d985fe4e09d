import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../data/db';
import { purgeInvestigationsOlderThan } from '../../data/investigations';
import {
  claimNextJob,
  claimOpeningJob,
  coalesceOlder,
  deferOpening,
  finishJob,
  getJob,
  insertJob,
  jobCounts,
  markJobQueued,
  markOverflow,
  type NewJob,
  releaseLeases,
  renewLeases,
} from '../../data/thread-jobs';

const AT = new Date('2030-01-01T00:00:00Z');
const T = AT.getTime();
const LEASE = 1_000;

function job(id: string, over: Partial<NewJob> = {}): NewJob {
  return {
    id,
    alert: { id: `a-${id}` },
    channelId: 'C1',
    priority: 3,
    state: 'queued',
    threadTs: '1.1',
    ...over,
  };
}

function fresh() {
  return openDatabase(':memory:');
}

describe('thread jobs', () => {
  it("a live owner's jobs are its own; once the lease expires another process takes them, counted as a resume", () => {
    const db = fresh();
    insertJob(db, job('j1'), { owner: 'A', until: T + LEASE }, AT);
    expect(claimNextJob(db, 'A', T, LEASE)).toMatchObject({
      id: 'j1',
      state: 'running',
      owner: 'A',
      runs: 1,
    });
    // B sees A's live run and leaves it.
    expect(claimNextJob(db, 'B', T + 500, LEASE)).toBeUndefined();
    renewLeases(db, 'A', T + 900, LEASE);
    expect(claimNextJob(db, 'B', T + 1_500, LEASE)).toBeUndefined();
    // A stops heartbeating: after its lease, B resumes the run, once.
    expect(claimNextJob(db, 'B', T + 1_901, LEASE)).toMatchObject({ id: 'j1', owner: 'B', runs: 2 });
    expect(claimNextJob(db, 'C', T + 1_950, LEASE)).toBeUndefined();
  });

  it('a queued job another live process accepted waits for it; a released one is anyone’s at once', () => {
    const db = fresh();
    insertJob(db, job('j1'), { owner: 'A', until: T + LEASE }, AT);
    expect(claimNextJob(db, 'B', T, LEASE)).toBeUndefined();
    releaseLeases(db, 'A');
    expect(claimNextJob(db, 'B', T, LEASE)).toMatchObject({ id: 'j1', owner: 'B', runs: 1 });
  });

  it('claims notices first, then by priority, then by arrival', () => {
    const db = fresh();
    const lease = { owner: 'A', until: T + LEASE };
    insertJob(db, job('p5', { priority: 5 }), lease, AT);
    insertJob(db, job('p3a'), lease, AT);
    insertJob(db, job('p3b'), lease, AT);
    insertJob(db, job('p1', { priority: 1 }), lease, AT);
    insertJob(db, job('old', { monitorId: 'm', cycleId: 'c1' }), lease, AT);
    insertJob(db, job('new', { monitorId: 'm', cycleId: 'c2' }), lease, AT);
    expect(coalesceOlder(db, { id: 'new', monitorId: 'm' })).toBe(1);
    const order = Array.from({ length: 6 }, () => claimNextJob(db, 'A', T, LEASE)?.id);
    expect(order).toEqual(['old', 'p1', 'p3a', 'p3b', 'new', 'p5']);
    expect(getJob(db, 'old')).toMatchObject({ verdict: 'coalesced', runs: 0 });
  });

  it('beyond the bound marks the lowest-priority oldest waiting jobs, never a running one', () => {
    const db = fresh();
    const lease = { owner: 'A', until: T + LEASE };
    insertJob(db, job('running', { priority: 5 }), lease, AT);
    claimNextJob(db, 'A', T, LEASE);
    for (const [id, priority] of [
      ['p5old', 5],
      ['p2', 2],
      ['p5new', 5],
      ['p4', 4],
    ] as const)
      insertJob(db, job(id, { priority }), lease, AT);
    expect(markOverflow(db, 2)).toEqual(['p5old', 'p5new']);
    expect(jobCounts(db)).toMatchObject({ queued: 2, running: 1 });
  });

  it('one unfinished job per alert cycle; a finished one lets the cycle have another', () => {
    const db = fresh();
    const lease = { owner: 'A', until: T + LEASE };
    expect(insertJob(db, job('j1', { cycleId: 'c' }), lease, AT)).toBe(true);
    expect(insertJob(db, job('j2', { cycleId: 'c' }), lease, AT)).toBe(false);
    finishJob(db, 'j1', 'failed', AT);
    expect(insertJob(db, job('j3', { cycleId: 'c' }), lease, AT)).toBe(true);
  });

  it('a thread whose opening failed is retried by any process once its back-off is over, not before', () => {
    const db = fresh();
    insertJob(db, job('j1', { state: 'opening', threadTs: undefined }), { owner: 'A', until: T + LEASE }, AT);
    expect(claimOpeningJob(db, 'B', T, LEASE)).toBeUndefined();
    deferOpening(db, 'j1', T + 5_000);
    expect(claimOpeningJob(db, 'B', T + 4_999, LEASE)).toBeUndefined();
    expect(claimOpeningJob(db, 'B', T + 5_000, LEASE)).toMatchObject({
      id: 'j1',
      owner: 'B',
      openAttempts: 1,
    });
    // An opening job is never run before its thread exists.
    expect(claimNextJob(db, 'B', T + 99_999, LEASE)).toBeUndefined();
    markJobQueued(db, 'j1');
    expect(claimNextJob(db, 'B', T + 5_001, LEASE)).toMatchObject({ id: 'j1', runs: 1 });
  });

  it('retention purges finished jobs past the cutoff and keeps unfinished ones, however old', () => {
    const db = fresh();
    const lease = { owner: 'A', until: T + LEASE };
    insertJob(db, job('done'), lease, AT);
    finishJob(db, 'done', 'answered', AT);
    insertJob(db, job('waiting'), lease, AT);
    purgeInvestigationsOlderThan(db, 1, new Date(T + 2 * 86_400_000));
    expect([getJob(db, 'done'), getJob(db, 'waiting')?.state]).toEqual([undefined, 'queued']);
  });
});
