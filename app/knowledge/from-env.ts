import { confluenceSource } from '../../indexer/sources/confluence';
import { notionSource } from '../../indexer/sources/notion';
import { runbookSource } from '../../indexer/sources/runbooks';
import type { KnowledgeSource } from '../../indexer/sources/source';
import type { Env } from '../config';
import { rootlySource } from './rootly-source';
import { slackSource } from './slack-source';

/** The knowledge sources this environment configures. */
export function knowledgeSourcesFromEnv(env: Env): KnowledgeSource[] {
  const out: KnowledgeSource[] = [];
  if (env.CONFLUENCE_BASE_URL && env.CONFLUENCE_EMAIL && env.CONFLUENCE_API_TOKEN) {
    out.push(
      confluenceSource({
        baseUrl: env.CONFLUENCE_BASE_URL,
        email: env.CONFLUENCE_EMAIL,
        token: env.CONFLUENCE_API_TOKEN,
        spaces: env.CONFLUENCE_SPACES,
      }),
    );
  }
  if (env.NOTION_TOKEN) out.push(notionSource({ token: env.NOTION_TOKEN, baseUrl: env.NOTION_API_URL }));
  if (env.SLACK_BOT_TOKEN && env.SRE_SLACK_INDEX_CHANNELS.length > 0) {
    out.push(
      slackSource({
        token: env.SLACK_BOT_TOKEN,
        apiUrl: env.SLACK_API_URL,
        channels: env.SRE_SLACK_INDEX_CHANNELS,
      }),
    );
  }
  if (env.ROOTLY_API_TOKEN)
    out.push(rootlySource({ token: env.ROOTLY_API_TOKEN, baseUrl: env.ROOTLY_API_URL }));
  if (env.SRE_RUNBOOK_DIRS.length > 0) out.push(runbookSource(env.SRE_RUNBOOK_DIRS));
  return out;
}
