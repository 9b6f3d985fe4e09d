import { WebClient } from '@slack/web-api';
import { chunkMessages, hashText } from '../chunk';
import type { FetchResult, KnowledgeSource } from './source';

/**
 * Slack channels via @slack/web-api: conversations.history from the cursor (`oldest`); a thread
 * is one document (replies fetched); every document keeps its channel id and privacy for the ACL.
 */
export function slackSource(cfg: { token: string; apiUrl?: string; channels: string[] }): KnowledgeSource {
  const client = new WebClient(cfg.token, { slackApiUrl: cfg.apiUrl, retryConfig: { retries: 2 } });
  return {
    name: 'slack',
    async fetch({ cursor, full }): Promise<FetchResult> {
      const oldest = full ? undefined : cursor;
      const docs: FetchResult['docs'] = [];
      let newest = cursor ?? '0';
      for (const channel of cfg.channels) {
        const info = await client.conversations.info({ channel });
        const isPrivate = info.channel?.is_private === true;
        const name = info.channel?.name ?? channel;
        let page: string | undefined;
        do {
          const res = await client.conversations.history({ channel, oldest, cursor: page, limit: 200 });
          for (const m of res.messages ?? []) {
            // Bot posts without text (alert cards) carry nothing to retrieve.
            if (!m.ts || !(m.text ?? '').trim()) continue;
            if (Number(m.ts) > Number(newest)) newest = m.ts;
            const thread = m.reply_count
              ? ((await client.conversations.replies({ channel, ts: m.ts })).messages ?? [])
              : [m];
            const lines = thread.map((t) => `<@${t.user ?? 'unknown'}>: ${t.text ?? ''}`);
            const title = `#${name}: ${(m.text ?? '').slice(0, 80)}`;
            docs.push({
              source: 'slack',
              externalId: `${channel}:${m.ts}`,
              title,
              url: `https://slack.com/archives/${channel}/p${m.ts.replace('.', '')}`,
              channelId: channel,
              isPrivate,
              updatedAt: new Date(Number(thread.at(-1)?.ts ?? m.ts) * 1000).toISOString(),
              contentHash: hashText(lines.join('\n')),
              chunks: chunkMessages(title, lines),
            });
          }
          page = res.response_metadata?.next_cursor || undefined;
        } while (page);
      }
      return { docs, cursor: newest };
    },
  };
}
