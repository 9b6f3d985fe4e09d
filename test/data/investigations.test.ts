import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../data/db';
import {
  createInvestigation,
  findInvestigationByThread,
  finishInvestigation,
  getInvestigation,
  listInvestigations,
  listTurns,
  purgeInvestigationsOlderThan,
  recordAnswerTurn,
  setSlackLocation,
} from '../../data/investigations';
import { investigationsForLearning } from '../../data/learning';
import { reportRows } from '../../data/report-queries';

const ALERT = { id: 'cycle_1', title: 'Checkout 5xx', text: 'Checkout 5xx above 5%' };

/** A finished root investigation in thread 100.1 of C1, its summary at 100.2. */
function answeredThread() {
  const db = openDatabase(':memory:');
  createInvestigation(db, {
    id: 'inv_root',
    alertKey: 'cycle_1',
    alert: ALERT,
    planner: 'offline',
    startedAt: '2026-03-01T10:00:00.000Z',
    channelId: 'C1',
    threadTs: '100.1',
  });
  setSlackLocation(db, 'inv_root', { progressTs: '100.2' });
  finishInvestigation(db, 'inv_root', {
    status: 'completed',
    finishedAt: '2026-03-01T10:01:00.000Z',
    result: { id: 'inv_root', summary: { headline: 'bad deploy' } },
    usage: {},
  });
  return db;
}

/** A follow-up run as the Slack thread starts one: on the thread's alert, with the question asked. */
function followUpRun(db: ReturnType<typeof openDatabase>, id: string, question: string, at: string) {
  createInvestigation(db, {
    id,
    alertKey: ALERT.id,
    alert: ALERT,
    planner: 'llm',
    startedAt: at,
    channelId: 'C1',
    threadTs: '100.1',
    question,
  });
}

describe('follow-ups are turns of the investigation whose thread they are in', () => {
  it("records a run in an answered thread as the root's next turn, under the root's alert, with its question", () => {
    const db = answeredThread();
    followUpRun(db, 'inv_f1', 'which deploy?', '2026-03-01T10:05:00.000Z');
    followUpRun(db, 'inv_f2', 'who owns it?', '2026-03-01T10:06:00.000Z');
    expect(listTurns(db, 'inv_root').map((t) => [t.id, t.turn, t.question, t.parentId])).toEqual([
      ['inv_f1', 1, 'which deploy?', 'inv_root'],
      ['inv_f2', 2, 'who owns it?', 'inv_root'],
    ]);
    expect(getInvestigation(db, 'inv_f1')).toMatchObject({ alertKey: 'cycle_1', alert: ALERT });
    expect(getInvestigation(db, 'inv_root')).toMatchObject({ parentId: null, turn: 0, question: null });
  });

  it('records an answer given from the stored result as a finished turn with no steps', () => {
    const db = answeredThread();
    recordAnswerTurn(db, {
      id: 'inv_a1',
      rootId: 'inv_root',
      question: 'what next?',
      answer: 'Next steps: roll back',
      at: '2026-03-01T10:07:00.000Z',
      progressTs: '100.9',
    });
    expect(listTurns(db, 'inv_root')).toMatchObject([
      {
        id: 'inv_a1',
        turn: 1,
        status: 'completed',
        question: 'what next?',
        result: { answer: 'Next steps: roll back' },
        channelId: 'C1',
        threadTs: '100.1',
        progressTs: '100.9',
      },
    ]);
    expect(() =>
      recordAnswerTurn(db, { id: 'inv_a2', rootId: 'inv_nope', question: 'q', answer: 'a', at: 't' }),
    ).toThrow('no investigation inv_nope to add a turn to');
  });

  it('resolves the thread, its summary and a turn’s answer message to the root investigation', () => {
    const db = answeredThread();
    followUpRun(db, 'inv_f1', 'which deploy?', '2026-03-01T10:05:00.000Z');
    setSlackLocation(db, 'inv_f1', { progressTs: '100.7' });
    for (const ts of ['100.1', '100.2', '100.7'])
      expect(findInvestigationByThread(db, 'C1', ts)?.id).toBe('inv_root');
    expect(findInvestigationByThread(db, 'C1', '999.9')).toBeUndefined();
  });

  it('keeps a re-run of an unanswered (interrupted) investigation a root of its own', () => {
    const db = openDatabase(':memory:');
    const run = (id: string, at: string) =>
      createInvestigation(db, {
        id,
        alertKey: 'cycle_1',
        alert: ALERT,
        planner: 'offline',
        startedAt: at,
        channelId: 'C1',
        threadTs: '100.1',
      });
    run('inv_first', '2026-03-01T10:00:00.000Z');
    run('inv_rerun', '2026-03-01T10:02:00.000Z');
    expect(getInvestigation(db, 'inv_rerun')).toMatchObject({ parentId: null, turn: 0 });
    expect(findInvestigationByThread(db, 'C1', '100.1')?.id).toBe('inv_rerun');
  });

  it('feeds learning, the report and the list with root investigations only, and purges turns with their root', () => {
    const db = answeredThread();
    followUpRun(db, 'inv_f1', 'which deploy?', '2026-03-01T10:05:00.000Z');
    finishInvestigation(db, 'inv_f1', {
      status: 'completed',
      finishedAt: '2026-03-01T10:06:00.000Z',
      result: { id: 'inv_f1', summary: { headline: 'deploy 42' } },
      usage: {},
    });
    expect(investigationsForLearning(db, '2026-01-01T00:00:00.000Z').map((i) => i.id)).toEqual(['inv_root']);
    expect(reportRows(db, '2026-01-01T00:00:00.000Z').map((r) => r.id)).toEqual(['inv_root']);
    expect(listInvestigations(db).map((i) => i.id)).toEqual(['inv_root']);
    expect(purgeInvestigationsOlderThan(db, 1, new Date('2026-04-01T00:00:00.000Z'))).toBeGreaterThanOrEqual(
      1,
    );
    expect(getInvestigation(db, 'inv_f1')).toBeUndefined();
  });
});
