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

/** One cell's text, with pipes and line breaks that would break the Markdown row escaped. */
function cellText(cell: RichText): string {
  return cell
    .map((t) => t.plain_text ?? '')
    .join('')
    .replace(/\|/g, '\\|')
    .replace(/\n/g, ' ')
    .trim();
}

/**
 * Pure: a `table` block and its `table_row` children (`table_row.cells`: one rich-text array per
 * cell) as one Markdown table; the first row is the header when the table says it has one.
 */
export function tableToMarkdown(table: Block, rows: readonly Block[]): string {
  const lines = rows
    .filter((r) => r.type === 'table_row')
    .map(
      (r) =>
        `| ${((r.table_row as { cells?: RichText[] } | undefined)?.cells ?? []).map(cellText).join(' | ')} |`,
    );
  const header = (table.table as { has_column_header?: boolean; table_width?: number } | undefined) ?? {};
  if (lines.length > 0 && header.has_column_header) {
    const width = header.table_width ?? lines[0]!.split(' | ').length;
    lines.splice(1, 0, `|${' --- |'.repeat(width)}`);
  }
  return lines.join('\n');
}

export function notionSource(cfg: { token: string; baseUrl?: string }): KnowledgeSource {
  const client = new Client({ auth: cfg.token, baseUrl: cfg.baseUrl });
  async function childrenOf(blockId: string): Promise<Block[]> {
    const out: Block[] = [];
    let cursor: string | undefined;
    do {
      const res = (await client.blocks.children.list({
        block_id: blockId,
        start_cursor: cursor,
        page_size: 100,
      })) as { results: Block[]; next_cursor: string | null };
      out.push(...res.results);
      cursor = res.next_cursor ?? undefined;
    } while (cursor);
    return out;
  }
  async function markdownOf(blockId: string, depth = 0): Promise<string[]> {
    if (depth > 5) return [];
    const out: string[] = [];
    for (const b of await childrenOf(blockId)) {
      // A table's rows are its children: read together, they are one table.
      if (b.type === 'table') {
        const table = b.has_children ? tableToMarkdown(b, await childrenOf(b.id)) : '';
        if (table) out.push(table);
        continue;
      }
      const line = blockToMarkdown(b);
      if (line) out.push(line);
      if (b.has_children) out.push(...(await markdownOf(b.id, depth + 1)));
    }
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
