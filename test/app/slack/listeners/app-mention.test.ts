import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../../agent/alert';
import type { FollowUp } from '../../../../agent/follow-up';
import type { LlmConfig } from '../../../../agent/llm/client';
import { parseEnv } from '../../../../app/config';
import { type AppMentionArgs, appMention } from '../../../../app/slack/listeners/app-mention';
import { USAGE } from '../../../../app/slack/listeners/investigate-command';
import {
  createInvestigation,
  findInvestigationByThread,
  finishInvestigation,
  listTurns,
  setSlackLocation,
} from '../../../../data/investigations';
import { sampleResult } from '../../../fixtures/investigation';
import { boltContext, sandboxSlack } from './slack-api';

const slack = sandboxSlack();

const mention = (text: string, ts: string, threadTs?: string) =>
  ({
    type: 'app_mention',
    channel: 'C1',
    ts,
    ...(threadTs ? { thread_ts: threadTs } : {}),
    text,
    user: 'U1',
    event_ts: ts,
  }) as AppMentionArgs['event'];

function listener(allowlist = '', llm?: LlmConfig) {
  const { client, calls, db } = slack.session();
  const started: { alert: Alert; threadTs: string; followUp?: FollowUp }[] = [];
  const handle = appMention({
    runtime: { db, llm, now: () => new Date('2026-03-01T12:00:00Z'), secrets: [] },
    env: parseEnv({ SRE_INVESTIGATE_ALLOWLIST: allowlist }),
    seen: new Set(),
    startInThread: async (alert, _channel, threadTs, _recipient, followUp) =>
      void started.push({ alert, threadTs, ...(followUp ? { followUp } : {}) }),
  });
  const on = (event: AppMentionArgs['event']) => handle({ event, context: boltContext(), client });
  return { on, calls, db, started };
}

describe('the app_mention listener', () => {
  it('answers in an investigation thread from its result, escaping tool text: no broadcast, ping or disguised link', async () => {
    const { on, calls, db, started } = listener();
    createInvestigation(db, { id: 'inv_1', alertKey: 'k', alert: {}, planner: 'offline', startedAt: 't' });
    setSlackLocation(db, 'inv_1', { channelId: 'C1', threadTs: '100.1', progressTs: '100.2' });
    finishInvestigation(db, 'inv_1', {
      status: 'completed',
      finishedAt: 't',
      result: sampleResult('inv_1', {
        nextSteps: [
          '<!channel> roll back now',
          'ask <@U0BOSS> or <!subteam^S0SRE>',
          'see <http://evil.example|the runbook>',
        ],
      }),
      usage: {},
    });
    await on(mention('<@U0SREBOT> what next?', '100.5', '100.1'));
    const reply = calls().at(-1)!;
    expect(reply.args).toMatchObject({ channel: 'C1', thread_ts: '100.1' });
    expect(String(reply.args.text)).toContain('&lt;!channel&gt; roll back now');
    expect(String(reply.args.text)).not.toMatch(/<[!@#]|<https?:/);
    expect(started).toEqual([]);
  });

  it('records each answered follow-up as a turn of the thread’s investigation, never as a new investigation', async () => {
    const { on, calls, db } = listener();
    createInvestigation(db, {
      id: 'inv_1',
      alertKey: 'k',
      alert: { id: 'k' },
      planner: 'offline',
      startedAt: 't',
    });
    setSlackLocation(db, 'inv_1', { channelId: 'C1', threadTs: '100.1', progressTs: '100.2' });
    finishInvestigation(db, 'inv_1', {
      status: 'completed',
      finishedAt: 't',
      result: sampleResult('inv_1'),
      usage: {},
    });
    await on(mention('<@U0SREBOT> what next?', '100.5', '100.1'));
    await on(mention('<@U0SREBOT> any runbook?', '100.6', '100.1'));
    const answers = calls().filter((c) => c.method === 'chat.postMessage');
    const turns = listTurns(db, 'inv_1');
    expect(turns.map((t) => [t.turn, t.question])).toEqual([
      [1, 'what next?'],
      [2, 'any runbook?'],
    ]);
    expect(turns[0]!.result).toEqual({ answer: expect.stringMatching(/^Next steps:/) });
    expect(answers).toHaveLength(2);
    // A reaction on the second answer finds the investigation it follows.
    const answerTs = turns[1]!.progressTs!;
    expect(findInvestigationByThread(db, 'C1', answerTs)?.id).toBe('inv_1');
  });

  it('with a model, runs the question as a turn of the thread’s investigation: on its alert, asked as the question', async () => {
    const model = { apiKey: 'k', baseURL: 'http://127.0.0.1:1/v1', model: 'm', toolMode: 'native' } as const;
    const { on, calls, db, started } = listener('', model);
    createInvestigation(db, { id: 'inv_1', alertKey: 'k', alert: {}, planner: 'offline', startedAt: 't' });
    setSlackLocation(db, 'inv_1', { channelId: 'C1', threadTs: '100.1', progressTs: '100.2' });
    const result = sampleResult('inv_1');
    finishInvestigation(db, 'inv_1', { status: 'completed', finishedAt: 't', result, usage: {} });
    await on(mention('<@U0SREBOT> which deploy shipped it?', '100.5', '100.1'));
    expect(started).toEqual([
      {
        alert: result.alert,
        threadTs: '100.1',
        followUp: {
          question: 'which deploy shipped it?',
          context: expect.stringContaining(`Previous headline: ${result.summary.headline}`),
        },
      },
    ]);
    // The run answers in the thread; nothing is answered from the stored result.
    expect(calls().filter((c) => c.method === 'chat.postMessage')).toEqual([]);
  });

  it('outside an investigation thread, investigates the question in a thread under the mention, once', async () => {
    const { on, started } = listener();
    await on(mention('<@U0SREBOT> why is checkout failing?', '200.1'));
    await on(mention('<@U0SREBOT> why is checkout failing?', '200.1'));
    expect(started).toHaveLength(1);
    expect(started[0]).toMatchObject({ threadTs: '200.1', alert: { text: 'why is checkout failing?' } });
  });

  it('answers a bare mention with the usage, and someone outside the allowlist with a refusal', async () => {
    const open = listener();
    await open.on(mention('<@U0SREBOT>', '300.1'));
    expect(open.calls().at(-1)!.args).toMatchObject({ thread_ts: '300.1', text: USAGE });
    const closed = listener('U0OK');
    await closed.on(mention('<@U0SREBOT> why?', '300.2'));
    expect(String(closed.calls().at(-1)!.args.text)).toMatch(/not on the allowlist/);
    expect(closed.started).toEqual([]);
  });
});
