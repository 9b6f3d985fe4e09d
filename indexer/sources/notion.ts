import { Client } from '@notionhq/client';
import { chunkMarkdown, hashText } from '../chunk';
import type { FetchResult, KnowledgeSource } from './source';

/** Notion via @notionhq/client: search sorted by last edit (stop at the watermark), blocks fetched recursively. */
type RichText = { plain_text?: string }[];
type Block = { id: string; type: string; has_children?: boolean } & Record<string, unknown>;

const PREFIX: Record<string, string> = {
  heading_1: '# ',
  heading_2: '## ',
  heading_3: '### ',
  bulleted_list_item: '- ',
  numbered_list_item: '1. ',
  to_do: '- [ ] ',
  quote: '> ',
};

export function blockToMarkdown(b: Block): string {
  const body = b[b.type] as { rich_text?: RichText } | undefined;
  const text = (body?.rich_text ?? []).map((t) => t.plain_text ?? '').join('');
  if (b.type === 'code') return `\`\`\`\n${text}\n\`\`\``;
  return text ? `${PREFIX[b.type] ?? ''}${text}` : '';
}

export function notionSource(cfg: { token: string; baseUrl?: string }): KnowledgeSource {
  const client = new Client({ auth: cfg.token, baseUrl: cfg.baseUrl });
  async function markdownOf(blockId: string, depth = 0): Promise<string[]> {
    if (depth > 5) return [];
    const out: string[] = [];
    let cursor: string | undefined;
    do {
      const res = (await client.blocks.children.list({
        block_id: blockId,
        start_cursor: cursor,
        page_size: 100,
      })) as { results: Block[]; next_cursor: string | null };
      for (const b of res.results) {
        const line = blockToMarkdown(b);
        if (line) out.push(line);
        if (b.has_children) out.push(...(await markdownOf(b.id, depth + 1)));
      }
      cursor = res.next_cursor ?? undefined;
    } while (cursor);
    return out;
  }
  return {
    name: 'notion',
    async fetch({ cursor, full }): Promise<FetchResult> {
      const docs: FetchResult['docs'] = [];
      const presentIds = new Set<string>();
      let watermark = cursor ?? '';
      let start: string | undefined;
      do {
        const res = (await client.search({
          sort: { direction: 'descending', timestamp: 'last_edited_time' },
          start_cursor: start,
          page_size: 100,
        })) as {
          results: {
            id: string;
            object: string;
            last_edited_time: string;
            url?: string;
            properties?: Record<string, { type: string; title?: RichText }>;
          }[];
          next_cursor: string | null;
        };
        for (const page of res.results) {
          if (page.object !== 'page') continue;
          presentIds.add(page.id);
          if (!full && cursor && page.last_edited_time <= cursor) continue;
          if (page.last_edited_time > watermark) watermark = page.last_edited_time;
          const titleProp = Object.values(page.properties ?? {}).find((p) => p.type === 'title');
          const title = (titleProp?.title ?? []).map((t) => t.plain_text ?? '').join('') || 'Untitled';
          const markdown = (await markdownOf(page.id)).join('\n\n');
          docs.push({
            source: 'notion',
            externalId: page.id,
            title,
            url: page.url,
            updatedAt: page.last_edited_time,
            contentHash: hashText(`${title}\n${markdown}`),
            chunks: chunkMarkdown(title, markdown),
          });
        }
        start = res.next_cursor ?? undefined;
      } while (start);
      return { docs, presentIds, cursor: watermark || cursor };
    },
  };
}
