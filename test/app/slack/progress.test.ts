import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../app/logger';
import { landSummary } from '../../../app/slack/progress';
import { slackState } from '../../../sandbox/routes/slack';
import { type Sandbox, startSandbox } from '../../../sandbox/server';
import { sampleResult } from '../../fixtures/investigation';
import { DEMO } from '../../tools/helpers';

/**
 * The summary's last step through the real WebClient against the sandbox Slack API, whose fault
 * injection answers chat.update with Slack's own `{ ok: false, error }`.
 */
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox(DEMO);
});
afterAll(async () => {
  await sandbox.close();
});

const result = sampleResult('inv_land', { headline: 'Checkout broke' });

/** A thread with a progress reply in it, as a run leaves it before its summary. */
async function threadWithProgress(client: WebClient) {
  const root = await client.chat.postMessage({ channel: 'C0LAND', text: 'alert' });
  const progress = await client.chat.postMessage({
    channel: 'C0LAND',
    thread_ts: root.ts!,
    text: ':mag: *Investigating…*',
  });
  const where = { client, channel: 'C0LAND', threadTs: root.ts!, logger: silentLogger, intervalMs: 1_000 };
  return { where, progressTs: progress.ts! };
}

const inThread = (ts: string) => slackState(sandbox.world).messages.filter((m) => m.threadTs === ts);

describe('landing the summary', () => {
  const client = () =>
    new WebClient('xoxb-test', { slackApiUrl: `${sandbox.url}/api/`, retryConfig: { retries: 0 } });

  it('retries a failed final chat.update and puts the summary in place of the progress message', async () => {
    const { where, progressTs } = await threadWithProgress(client());
    sandbox.faults.add('/api/chat.update', { slackError: 'internal_error', times: 1 });
    expect(await landSummary(where, progressTs, result, 2, 0)).toBe(progressTs);
    expect(inThread(where.threadTs)).toMatchObject([
      { ts: progressTs, text: 'Checkout broke (confidence: high)' },
    ]);
  });

  it('when every update fails, posts the summary as a new reply and removes the stale progress message', async () => {
    const { where, progressTs } = await threadWithProgress(client());
    sandbox.faults.add('/api/chat.update', { slackError: 'internal_error', times: 3 });
    const landed = await landSummary(where, progressTs, result, 2, 0);
    expect(landed).not.toBe(progressTs);
    const messages = inThread(where.threadTs);
    expect(messages.map((m) => m.ts)).toEqual([landed]);
    expect(JSON.stringify(messages[0]!.blocks)).toContain('feedback_helpful');
    expect(slackState(sandbox.world).deleted?.map((m) => m.ts)).toContain(progressTs);
  });
});
