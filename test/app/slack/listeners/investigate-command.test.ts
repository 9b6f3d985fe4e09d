import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../../agent/alert';
import { parseEnv } from '../../../../app/config';
import {
  type InvestigateCommandArgs,
  investigateCommand,
  USAGE,
} from '../../../../app/slack/listeners/investigate-command';
import { slackState } from '../../../../sandbox/routes/slack';
import { sandboxSlack } from './slack-api';

const slack = sandboxSlack();

/** A slash command payload as Slack sends it (the fields the listener reads). */
const command = (text: string, user = 'U0OK') =>
  ({ text, channel_id: 'C1', user_id: user, team_id: 'T0ACME' }) as InvestigateCommandArgs['command'];

function run(text: string, user?: string, allowlist = '') {
  const { client, calls, logger } = slack.session(/^(chat|usergroups)\./);
  const started: { alert: Alert; channel: string; threadTs: string }[] = [];
  const replies: unknown[] = [];
  let acks = 0;
  const handle = investigateCommand({
    runtime: { now: () => new Date('2026-03-01T12:00:00Z'), secrets: [] },
    env: parseEnv({ SRE_INVESTIGATE_ALLOWLIST: allowlist }),
    startInThread: async (alert, channel, threadTs) => void started.push({ alert, channel, threadTs }),
  });
  const done = handle({
    command: command(text, user),
    ack: async () => {
      acks += 1;
    },
    respond: async (r) => {
      replies.push(r);
      return { ok: true } as never;
    },
    client,
    logger,
  });
  return { done, started, replies, calls, acks: () => acks };
}

describe('the /investigate listener', () => {
  it('acks, posts a root message and starts the investigation in its thread', async () => {
    const r = run('checkout 5xx since 14:00');
    await r.done;
    expect(r.acks()).toBe(1);
    const root = r.calls().find((c) => c.method === 'chat.postMessage')!;
    expect(root.args).toMatchObject({
      channel: 'C1',
      text: ':mag: <@U0OK> asked me to investigate: checkout 5xx since 14:00',
    });
    expect(r.started).toHaveLength(1);
    expect(r.started[0]).toMatchObject({ channel: 'C1', alert: { source: 'slash-command' } });
    expect(r.started[0]!.threadTs).toMatch(/^\d+\.\d{6}$/);
  });

  it('answers an empty command with its usage, ephemerally', async () => {
    const r = run('  ');
    await r.done;
    expect(r.replies).toEqual([{ response_type: 'ephemeral', text: USAGE }]);
    expect(r.started).toEqual([]);
  });

  it('refuses users outside SRE_INVESTIGATE_ALLOWLIST and posts nothing', async () => {
    const r = run('checkout down', 'U0NOPE', 'U0OK');
    await r.done;
    expect(r.replies).toEqual([
      {
        response_type: 'ephemeral',
        text: 'You are not on the allowlist for /investigate (SRE_INVESTIGATE_ALLOWLIST).',
      },
    ]);
    expect(r.calls().filter((c) => c.method.startsWith('chat.'))).toEqual([]);
  });

  it('lets members of an allowlisted user group in, read with usergroups.users.list', async () => {
    slackState(slack.sandbox.world).usergroups = { S0ONCALL: ['U0MEMBER'] };
    const r = run('checkout down', 'U0MEMBER', 'U0OK,S0ONCALL');
    await r.done;
    expect(r.calls()[0]).toEqual({ method: 'usergroups.users.list', args: { usergroup: 'S0ONCALL' } });
    expect(r.started).toHaveLength(1);
  });

  it('tells the person when Slack refuses the root post, and starts nothing', async () => {
    slack.sandbox.faults.add('/api/chat.postMessage', { status: 500, times: 1 });
    const r = run('checkout down');
    await r.done;
    expect(r.replies).toHaveLength(1);
    expect(String((r.replies[0] as { text: string }).text)).toMatch(
      /^:warning: Could not start the investigation/,
    );
    expect(r.started).toEqual([]);
  });
});
