import { WebClient } from '@slack/web-api';
import { documentHashes } from '../../data/knowledge-store';
import { chunkMessages, hashText } from '../../indexer/chunk';
import type { FetchResult, KnowledgeSource } from '../../indexer/sources/source';
import { type SlackMessageLike, slackMessageText } from './slack-message-text';

/**
 * Slack has no "changed since" query, so an incremental sync re-reads a lookback window before
 * the cursor: replies added to recent threads, edits and deletions there are picked up.
 */
export const SLACK_LOOKBACK_SECONDS = 3 * 86_400;

/**
 * Slack channels via @slack/web-api: conversations.history from the cursor minus the lookback; a
 * thread is one document (replies fetched); only new or changed threads are returned, threads
 * gone from the window are reported deleted; every document keeps its channel and privacy (ACL).
 */
export function slackSource(cfg: { token: string; apiUrl?: string; channels: string[] }): KnowledgeSource {
  const client = new WebClient(cfg.token, { slackApiUrl: cfg.apiUrl, retryConfig: { retries: 2 } });
  return {
    name: 'slack',
    async fetch({ db, cursor, full }): Promise<FetchResult> {
      const oldest =
        full || !cursor ? undefined : String(Math.max(0, Number(cursor) - SLACK_LOOKBACK_SECONDS));
      const docs: FetchResult['docs'] = [];
      const known = documentHashes(db, 'slack');
      const seen = new Set<string>();
      const deletedIds = new Set<string>();
      let newest = cursor ?? '0';
      for (const channel of cfg.channels) {
        const info = await client.conversations.info({ channel });
        const isPrivate = info.channel?.is_private === true;
        const name = info.channel?.name ?? channel;
        let page: string | undefined;
        do {
          const res = await client.conversations.history({ channel, oldest, cursor: page, limit: 200 });
          for (const m of res.messages ?? []) {
            // Alert cards carry their content in attachments and blocks, not in `text`.
            const text = slackMessageText(m as SlackMessageLike);
            if (!m.ts || !text) continue;
            if (Number(m.ts) > Number(newest)) newest = m.ts;
            const thread = m.reply_count
              ? ((await client.conversations.replies({ channel, ts: m.ts })).messages ?? [])
              : [m];
            const lines = thread.map(
              (t) => `<@${t.user ?? t.bot_id ?? 'unknown'}>: ${slackMessageText(t as SlackMessageLike)}`,
            );
            // The first line, links shown by their labels.
            const headline = (text.split('\n')[0] ?? '').replace(/<[^|>]+\|([^>]+)>/g, '$1');
            const title = `#${name}: ${headline.slice(0, 80)}`;
            const externalId = `${channel}:${m.ts}`;
            seen.add(externalId);
            const contentHash = hashText(`${title}\n${lines.join('\n')}`);
            if (known.get(externalId) === contentHash) continue;
            docs.push({
              source: 'slack',
              externalId,
              title,
              url: `https://slack.com/archives/${channel}/p${m.ts.replace('.', '')}`,
              channelId: channel,
              isPrivate,
              updatedAt: new Date(Number(thread.at(-1)?.ts ?? m.ts) * 1000).toISOString(),
              contentHash,
              chunks: chunkMessages(title, lines),
            });
          }
          page = res.response_metadata?.next_cursor || undefined;
        } while (page);
        // Threads of this channel inside the re-read window that Slack no longer returns were deleted.
        if (oldest !== undefined)
          for (const id of known.keys())
            if (
              id.startsWith(`${channel}:`) &&
              Number(id.slice(channel.length + 1)) > Number(oldest) &&
              !seen.has(id)
            )
              deletedIds.add(id);
      }
      return full || !cursor
        ? { docs, cursor: newest, presentIds: seen }
        : { docs, cursor: newest, deletedIds };
    },
  };
}
