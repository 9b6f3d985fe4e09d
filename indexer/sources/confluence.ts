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
  _links?: { webui?: string; base?: string };
};

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
  async function* pages(spaceId: string, withBody: boolean, signal?: AbortSignal): AsyncGenerator<Page> {
    let next: string | undefined =
      `/wiki/api/v2/pages?space-id=${spaceId}&sort=-modified-date&limit=100&status=current${withBody ? '&body-format=storage' : ''}`;
    while (next) {
      const page: { results: Page[]; _links?: { next?: string } } = await get(
        next.startsWith('/wiki') ? next : `/wiki${next}`,
        signal,
      );
      yield* page.results;
      next = page._links?.next;
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
            url: p._links?.webui ? `${p._links.base ?? `${base}/wiki`}${p._links.webui}` : undefined,
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
