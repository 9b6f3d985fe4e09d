import { describe, expect, it } from 'vitest';
import { parseEnv } from '../../../../app/config';
import type { SlackReading } from '../../../../app/gateway/datadog-slack';
import type { ThreadPlace } from '../../../../app/slack/alert-intake';
import { alertMessage, type MessageArgs } from '../../../../app/slack/listeners/message';
import { boltContext } from './slack-api';

/** A message event as Slack delivers it (only the fields a DataDog post carries). */
const message = (fields: Record<string, unknown>) => ({ type: 'message', ...fields }) as MessageArgs['event'];

const datadogPost = (ts: string, extra: Record<string, unknown> = {}) =>
  message({
    subtype: 'bot_message',
    bot_id: 'B0DATADOG',
    channel: 'C1',
    ts,
    attachments: [
      { title: '[Triggered] Disk full', title_link: `https://app.datadoghq.com/monitors/7?from_ts=${ts}` },
    ],
    ...extra,
  });

function listener(env: Record<string, string> = {}) {
  const taken: { reading: SlackReading; place: ThreadPlace }[] = [];
  const handle = alertMessage({
    env: parseEnv(env),
    seen: new Set(),
    takeAlert: async (reading, place) => {
      taken.push({ reading, place });
      return 'started';
    },
  });
  return { taken, handle };
}

describe('the message listener', () => {
  it('takes a DataDog post as an alert whose thread goes under the post, once per post', async () => {
    const { taken, handle } = listener();
    await handle({ event: datadogPost('100.1'), context: boltContext() });
    await handle({ event: datadogPost('100.1'), context: boltContext() });
    expect(taken).toHaveLength(1);
    expect(taken[0]!.place).toEqual({ channel: 'C1', threadTs: '100.1' });
    expect(taken[0]!.reading.alert).toMatchObject({
      title: '[Triggered] Disk full',
      monitorId: '7',
      status: 'triggered',
    });
  });

  it("ignores DataDog's own threaded follow-ups, people, edits, unwatched channels and Slack's retries", async () => {
    const { taken, handle } = listener({ SRE_ALERT_CHANNELS: 'C1' });
    await handle({ event: datadogPost('3.1', { thread_ts: '1.1' }), context: boltContext() });
    await handle({
      event: message({ user: 'U1', channel: 'C1', ts: '3.2', text: '[Triggered] looks like an alert' }),
      context: boltContext(),
    });
    await handle({ event: datadogPost('3.3', { subtype: 'message_changed' }), context: boltContext() });
    await handle({ event: datadogPost('3.4', { channel: 'C9' }), context: boltContext() });
    await handle({ event: datadogPost('3.5'), context: boltContext({ retryNum: 1 }) });
    expect(taken).toEqual([]);
  });

  it("never takes this app's own posts, known by Bolt's context (botId, botUserId)", async () => {
    const { taken, handle } = listener();
    await handle({
      event: datadogPost('4.1', { bot_id: 'B0OTHERAPP' }),
      context: boltContext({ botId: 'B0OTHERAPP' }),
    });
    await handle({
      event: datadogPost('4.2', { user: 'U0ME' }),
      context: boltContext({ botUserId: 'U0ME' }),
    });
    await handle({ event: datadogPost('4.3', { bot_id: 'B0SREBOT' }), context: boltContext() });
    expect(taken).toEqual([]);
    // The same post from another bot is an alert.
    await handle({ event: datadogPost('4.1', { bot_id: 'B0OTHERAPP' }), context: boltContext() });
    expect(taken).toHaveLength(1);
  });

  it('with SRE_ALERT_BOT_IDS, takes posts only from the bots or apps it names', async () => {
    const { taken, handle } = listener({ SRE_ALERT_BOT_IDS: 'A0DATADOG' });
    await handle({ event: datadogPost('5.1'), context: boltContext() });
    await handle({
      event: datadogPost('5.2', { bot_profile: { app_id: 'A0DATADOG' } }),
      context: boltContext(),
    });
    expect(taken.map((t) => t.place.threadTs)).toEqual(['5.2']);
  });
});
