import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../data/db';
import { confluenceSource, pageUrl, storageToMarkdown } from '../../../indexer/sources/confluence';
import { json } from '../../../sandbox/http';
import { type Sandbox, startSandbox } from '../../../sandbox/server';
import { vendorFixture } from '../../fixtures/real/wire-shape';
import { DEMO } from '../../tools/helpers';

type Expect = { urls: string[]; markdownIncludes: string[] };
type Collection = {
  results: { _links: { webui: string }; body: { storage: { value: string } } }[];
  _links: { base: string };
};

describe('Confluence v2 pages as published', () => {
  const f = vendorFixture<Expect>('confluence', 'pages-list');
  const collection = f.response as Collection;

  it("builds each page's URL from the collection's _links.base and the page's relative webui", () => {
    expect(collection.results.map((p) => pageUrl(p._links.webui, collection._links.base))).toEqual(
      f.expect!.urls,
    );
    expect(pageUrl('/spaces/X/pages/1', 'https://a.atlassian.net/wiki/')).toBe(
      'https://a.atlassian.net/wiki/spaces/X/pages/1',
    );
    expect(pageUrl('https://elsewhere/p', undefined)).toBe('https://elsewhere/p');
    expect(pageUrl(undefined, 'https://a.atlassian.net/wiki')).toBeUndefined();
  });

  it('storage-format bodies become Markdown', () => {
    const markdown = storageToMarkdown(collection.results[0]!.body.storage.value);
    for (const part of f.expect!.markdownIncludes) expect(markdown).toContain(part);
  });

  describe('the source on the published responses', () => {
    let sandbox: Sandbox;
    afterEach(() => sandbox.close());

    it('indexes pages with URLs on the site the response names, following _links.next with its query', async () => {
      sandbox = await startSandbox(DEMO, [
        {
          method: 'GET',
          pattern: '/wiki/api/v2/spaces',
          handler: () => json(vendorFixture('confluence', 'spaces-list').response),
        },
        {
          method: 'GET',
          pattern: '/wiki/api/v2/pages',
          // The published page, then (at its next cursor) an empty last page.
          handler: (req) =>
            json(
              req.query.get('cursor')
                ? { results: [], _links: { base: collection._links.base } }
                : collection,
            ),
        },
      ]);
      const source = confluenceSource({
        baseUrl: `${sandbox.url}/wiki`,
        email: 'me@acme.dev',
        token: 't',
        spaces: ['OPS'],
      });
      const result = await source.fetch({ db: openDatabase(':memory:'), full: true });
      expect(result.docs.map((d) => d.url)).toEqual(f.expect!.urls);
      const followed = sandbox.requests.filter((r) => r.path === '/wiki/api/v2/pages' && r.query.cursor);
      expect(followed.length).toBeGreaterThan(0);
      expect(followed.every((r) => r.query['space-id'] === '196611')).toBe(true);
    });
  });
});
