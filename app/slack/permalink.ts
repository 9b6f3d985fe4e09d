import type { WebClient } from '@slack/web-api';
import type { Alert } from '../../agent/alert';
import { parseDatadogSlackMessage } from '../gateway/datadog-slack';

export type Permalink = { channel: string; ts: string };

/** `https://x.slack.com/archives/C123/p1700000000123456` -> channel and message ts. */
export function parsePermalink(text: string): Permalink | undefined {
  const m = /\/archives\/([CGD][A-Z0-9]+)\/p(\d{10})(\d{6})/.exec(text);
  return m ? { channel: m[1]!, ts: `${m[2]}.${m[3]}` } : undefined;
}

/** The alert a permalink points at: the DataDog post itself, read with conversations.history. */
export async function alertFromPermalink(client: WebClient, link: Permalink): Promise<Alert | undefined> {
  const res = await client.conversations.history({
    channel: link.channel,
    latest: link.ts,
    oldest: link.ts,
    inclusive: true,
    limit: 1,
  });
  const message = res.messages?.[0];
  return message ? parseDatadogSlackMessage({ ...message, channel: link.channel }) : undefined;
}
