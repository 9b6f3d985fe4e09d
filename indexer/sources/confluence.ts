import TurndownService from 'turndown';
import { chunkMarkdown, hashText } from '../chunk';
import type { FetchResult, KnowledgeSource } from './source';

/**
 * Confluence Cloud v2: pages of the configured spaces, newest edit first; stops at the watermark
 * (version.createdAt of the last sync); storage-format HTML -> Markdown with turndown.
 * Archived or deleted pages vanish from the id listing and are removed.
 */
export type ConfluenceConfig = { baseUrl: string; email: string; token: string; spaces: string[] };

type Page = {
  id: string;
  title: string;
  status: string;
  spaceId: string;
  version: { createdAt: string };
  body?: { storage?: { value: string } };
  _links?: { webui?: string; editui?: string; tinyui?: string };
};

/**
 * A v2 collection response: `_links.next` (a relative URL keeping the query) and `_links.base`,
 * the site's wiki URL (https://org.atlassian.net/wiki) that pages' relative `webui` links join.
 */
type PageCollection = { results: Page[]; _links?: { next?: string; base?: string } };

/** Pure: a page's browser URL from its `webui` link and the collection's base. */
export function pageUrl(webui: string | undefined, base: string | undefined): string | undefined {
  if (!webui) return undefined;
  if (/^https?:\/\//.test(webui)) return webui;
  return base ? `${base.replace(/\/$/, '')}${webui}` : undefined;
}

export function storageToMarkdown(html: string): string {
  return new TurndownService({ headingStyle: 'atx', codeBlockStyle: 'fenced' }).turndown(html);
}

export function confluenceSource(cfg: ConfluenceConfig): KnowledgeSource {
  // CONFLUENCE_BASE_URL is usually https://org.atlassian.net/wiki; API paths below start at /wiki.
  const base = cfg.baseUrl.replace(/\/$/, '').replace(/\/wiki$/, '');
  const headers = {
    authorization: `Basic ${Buffer.from(`${cfg.email}:${cfg.token}`).toString('base64')}`,
    accept: 'application/json',
  };
  const get = async <T>(path: string, signal?: AbortSignal): Promise<T> => {
    const res = await fetch(path.startsWith('http') ? path : `${base}${path}`, { headers, signal });
    if (!res.ok)
      throw new Error(
        `Confluence ${res.status} for ${path.split('?')[0]}: check CONFLUENCE_EMAIL / CONFLUENCE_API_TOKEN and space access`,
      );
    return (await res.json()) as T;
  };
  /** Each page with the browser URL its collection's `_links.base` gives it. */
  async function* pages(
    spaceId: string,
    withBody: boolean,
    signal?: AbortSignal,
  ): AsyncGenerator<Page & { url?: string }> {
    let next: string | undefined =
      `/wiki/api/v2/pages?space-id=${spaceId}&sort=-modified-date&limit=100&status=current${withBody ? '&body-format=storage' : ''}`;
    while (next) {
      const collection: PageCollection = await get(next.startsWith('/wiki') ? next : `/wiki${next}`, signal);
      // The configured URL stands in when a response names no base (it is the same site).
      const siteBase = collection._links?.base ?? `${base}/wiki`;
      for (const p of collection.results) yield { ...p, url: pageUrl(p._links?.webui, siteBase) };
      next = collection._links?.next;
    }
  }
  return {
    name: 'confluence',
    async fetch({ cursor, full, signal }): Promise<FetchResult> {
      const spaces = (
        await get<{ results: { id: string; key: string }[] }>(`/wiki/api/v2/spaces?limit=250`, signal)
      ).results.filter((s) => cfg.spaces.length === 0 || cfg.spaces.includes(s.key));
      const docs: FetchResult['docs'] = [];
      const presentIds = new Set<string>();
      let watermark = cursor ?? '';
      for (const space of spaces) {
        for await (const p of pages(space.id, false, signal)) presentIds.add(p.id);
        for await (const p of pages(space.id, true, signal)) {
          if (!full && cursor && p.version.createdAt <= cursor) break;
          if (p.version.createdAt > watermark) watermark = p.version.createdAt;
          const markdown = storageToMarkdown(p.body?.storage?.value ?? '');
          docs.push({
            source: 'confluence',
            externalId: p.id,
            title: p.title,
            url: p.url,
            space: space.key,
            updatedAt: p.version.createdAt,
            contentHash: hashText(`${p.title}\n${markdown}`),
            chunks: chunkMarkdown(p.title, markdown),
          });
        }
      }
      return { docs, presentIds, cursor: watermark || cursor };
    },
  };
}
