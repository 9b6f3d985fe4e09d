import { json, type Route, type SandboxRequest, type SandboxWorld } from '../http';
import type { ScenarioDoc } from '../scenario';

/**
 * Confluence Cloud v2 and Notion page routes over a scenario's docs (front matter `source:
 * confluence|notion`), so indexer sources can run their real clients against the sandbox.
 */
function docsOf(world: SandboxWorld, source: 'confluence' | 'notion'): ScenarioDoc[] {
  return world.scenario.docs.filter((d) => d.source === source);
}

function pageId(doc: ScenarioDoc): string {
  let h = 0;
  for (const c of doc.id) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return String(100000 + (h % 900000));
}

/** Markdown blocks: split at blank lines, and a heading line is always a block of its own. */
export function markdownBlocks(markdown: string): string[] {
  return markdown
    .split(/\n\s*\n/)
    .flatMap((block) => block.split(/\n(?=#{1,6}\s)|(?<=^#{1,6}\s[^\n]*)\n/m))
    .map((b) => b.trim())
    .filter(Boolean);
}

/** Markdown -> a small Confluence storage-format HTML (headings, paragraphs, lists, code). */
export function toStorageHtml(markdown: string): string {
  return markdownBlocks(markdown)
    .map((block) => {
      const h = /^(#{1,6})\s+(.*)$/.exec(block.trim());
      if (h) return `<h${h[1]!.length}>${esc(h[2]!)}</h${h[1]!.length}>`;
      if (/^\s*([-*]|\d+\.)\s/.test(block))
        return `<ul>${block
          .split('\n')
          .map((l) => `<li>${esc(l.replace(/^\s*([-*]|\d+\.)\s+/, ''))}</li>`)
          .join('')}</ul>`;
      return `<p>${esc(block.trim()).replace(/`([^`]+)`/g, '<code>$1</code>')}</p>`;
    })
    .join('');
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const SPACE = {
  id: '98001',
  key: 'ENG',
  name: 'Engineering',
  type: 'global',
  status: 'current',
  _links: { webui: '/spaces/ENG' },
};

/** A v2 page: relative `webui` links; the site's base is on the collection, not on each page. */
function confluencePage(d: ScenarioDoc, withBody: boolean) {
  return {
    id: pageId(d),
    status: 'current',
    title: d.title,
    spaceId: SPACE.id,
    version: { number: 1, createdAt: d.updatedAt },
    _links: { webui: `/spaces/${SPACE.key}/pages/${pageId(d)}`, tinyui: `/x/${pageId(d)}` },
    ...(withBody ? { body: { storage: { representation: 'storage', value: toStorageHtml(d.body) } } } : {}),
  };
}

/** The collection's `_links`: the next page (the same query, a later cursor) and the site's base. */
function collectionLinks(world: SandboxWorld, req: SandboxRequest, nextCursor: number | undefined) {
  const base = `${world.baseUrl}/wiki`;
  if (nextCursor === undefined) return { base };
  const q = new URLSearchParams(req.query);
  q.set('cursor', String(nextCursor));
  return { next: `${req.path}?${q}`, base };
}

function basicAuthed(req: SandboxRequest): boolean {
  return /^Basic \S+/.test(String(req.headers.authorization ?? ''));
}

function notionAuthed(req: SandboxRequest): boolean {
  return (
    /^Bearer \S+/.test(String(req.headers.authorization ?? '')) && req.headers['notion-version'] !== undefined
  );
}

const unauthorizedNotion = json(
  { object: 'error', status: 401, code: 'unauthorized', message: 'API token is invalid.' },
  401,
);

const richText = (text: string) => [{ type: 'text', plain_text: text, text: { content: text, link: null } }];

/** A Markdown table's rows as cell texts (the `|---|` separator row is no row). */
export function markdownTableRows(block: string): string[][] | undefined {
  const lines = block.split('\n').map((l) => l.trim());
  if (lines.length < 2 || !lines.every((l) => l.startsWith('|'))) return undefined;
  return lines
    .filter((l) => !/^\|[\s:|-]+\|$/.test(l))
    .map((l) =>
      l
        .replace(/^\|/, '')
        .replace(/\|$/, '')
        .split(/(?<!\\)\|/)
        .map((c) => c.trim().replace(/\\\|/g, '|')),
    );
}

/**
 * Notion blocks for a doc: headings, paragraphs and tables. A table is a `table` block whose
 * rows are its children (`table_row` blocks with `cells`), fetched with its own id.
 */
function notionBlocks(d: ScenarioDoc) {
  return markdownBlocks(d.body).map((b, i) => {
    const id = `${pageId(d)}-b${i}`;
    const rows = markdownTableRows(b);
    if (rows)
      return {
        object: 'block',
        id,
        type: 'table',
        has_children: true,
        table: { table_width: rows[0]!.length, has_column_header: true, has_row_header: false },
      };
    const h = /^(#{1,3})\s+(.*)$/.exec(b);
    const type = h ? `heading_${h[1]!.length}` : 'paragraph';
    return { object: 'block', id, type, has_children: false, [type]: { rich_text: richText(h ? h[2]! : b) } };
  });
}

/** The children of a block id: a page's blocks, or a table's rows. */
function notionChildren(world: SandboxWorld, id: string) {
  const page = docsOf(world, 'notion').find((x) => pageId(x) === id);
  if (page) return notionBlocks(page);
  const m = /^(\d+)-b(\d+)$/.exec(id);
  const owner = m ? docsOf(world, 'notion').find((x) => pageId(x) === m[1]) : undefined;
  const rows = owner ? markdownTableRows(markdownBlocks(owner.body)[Number(m![2])] ?? '') : undefined;
  return rows?.map((cells, r) => ({
    object: 'block',
    id: `${id}-r${r}`,
    type: 'table_row',
    has_children: false,
    table_row: { cells: cells.map(richText) },
  }));
}

export const routes: Route[] = [
  {
    method: 'GET',
    pattern: '/wiki/api/v2/spaces',
    handler: (req, world) =>
      basicAuthed(req)
        ? json({
            results: docsOf(world, 'confluence').length ? [SPACE] : [],
            _links: collectionLinks(world, req, undefined),
          })
        : json({ message: 'Unauthorized' }, 401),
  },
  {
    method: 'GET',
    pattern: '/wiki/api/v2/pages',
    handler: (req, world) => {
      if (!basicAuthed(req)) return json({ message: 'Unauthorized' }, 401);
      const limit = Math.min(Math.max(Number(req.query.get('limit') ?? 25) || 25, 1), 250);
      const offset = Number(req.query.get('cursor') ?? 0) || 0;
      const docs = docsOf(world, 'confluence').sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
      const items = docs
        .slice(offset, offset + limit)
        .map((d) => confluencePage(d, req.query.get('body-format') === 'storage'));
      const next = offset + limit < docs.length ? offset + limit : undefined;
      return json({ results: items, _links: collectionLinks(world, req, next) });
    },
  },
  {
    method: 'GET',
    pattern: '/wiki/api/v2/pages/:id',
    handler: (req, world) => {
      if (!basicAuthed(req)) return json({ message: 'Unauthorized' }, 401);
      const d = docsOf(world, 'confluence').find((x) => pageId(x) === req.params.id);
      return d ? json(confluencePage(d, true)) : json({ errors: [{ status: 404, title: 'Not Found' }] }, 404);
    },
  },
  {
    method: 'POST',
    pattern: '/v1/search',
    handler: (req, world) => {
      if (!notionAuthed(req)) return unauthorizedNotion;
      const body = (req.body ?? {}) as { query?: string };
      const q = (body.query ?? '').toLowerCase();
      const docs = docsOf(world, 'notion')
        .filter((d) => !q || d.title.toLowerCase().includes(q))
        .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
      return json({
        object: 'list',
        results: docs.map((d) => ({
          object: 'page',
          id: pageId(d),
          last_edited_time: d.updatedAt,
          url: d.url ?? `https://www.notion.so/${pageId(d)}`,
          properties: {
            title: {
              id: 'title',
              type: 'title',
              title: [{ type: 'text', plain_text: d.title, text: { content: d.title } }],
            },
          },
        })),
        next_cursor: null,
        has_more: false,
        type: 'page_or_database',
        page_or_database: {},
      });
    },
  },
  {
    method: 'GET',
    pattern: '/v1/blocks/:id/children',
    handler: (req, world) => {
      if (!notionAuthed(req)) return unauthorizedNotion;
      const children = notionChildren(world, req.params.id!);
      if (!children)
        return json(
          {
            object: 'error',
            status: 404,
            code: 'object_not_found',
            message: `Could not find block with ID: ${req.params.id}.`,
          },
          404,
        );
      return json({
        object: 'list',
        results: children,
        next_cursor: null,
        has_more: false,
        type: 'block',
        block: {},
      });
    },
  },
];
