import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../sandbox/server';
import { missingPaths, shapeDrift, vendorFixture } from '../../fixtures/real/wire-shape';
import { demoSandbox } from '../../tools/helpers';

/** The sandbox's Confluence v2 and Notion routes answer in the shape of the published examples. */
describe('sandbox Confluence and Notion routes against the published shapes', () => {
  let sandbox: Sandbox;
  beforeEach(async () => {
    sandbox = await demoSandbox();
    const notion = sandbox.scenario.docs.find((d) => d.source === 'notion')!;
    notion.body += '\n\n| Service | Pager |\n|---|---|\n| checkout | pay-oncall |\n';
  });
  afterEach(() => sandbox.close());
  const confluence = async (path: string) =>
    (await fetch(`${sandbox.url}${path}`, { headers: { authorization: 'Basic bWU6dA==' } })).json();
  const notion = async (path: string, body?: unknown) =>
    (
      await fetch(`${sandbox.url}${path}`, {
        method: body ? 'POST' : 'GET',
        headers: {
          authorization: 'Bearer secret_t',
          'notion-version': '2022-06-28',
          'content-type': 'application/json',
        },
        body: body ? JSON.stringify(body) : undefined,
      })
    ).json();
  const published = (vendor: string, name: string) => vendorFixture(vendor, name).response;

  it('Confluence: spaces and pages with the base on the collection, relative links on the pages', async () => {
    expect(
      shapeDrift(await confluence('/wiki/api/v2/spaces?limit=250'), published('confluence', 'spaces-list')),
    ).toEqual([]);
    const pages = (await confluence('/wiki/api/v2/pages?space-id=98001&limit=1&body-format=storage')) as {
      results: { id: string }[];
      _links: { next?: string };
    };
    expect(shapeDrift(pages, published('confluence', 'pages-list'))).toEqual([]);
    expect(
      missingPaths(pages, ['$._links.base', '$.results[]._links.webui', '$.results[].body.storage.value']),
    ).toEqual([]);
    const one = await confluence(`/wiki/api/v2/pages/${pages.results[0]!.id}`);
    expect(
      shapeDrift(one, ...(published('confluence', 'pages-list') as { results: unknown[] }).results),
    ).toEqual([]);
  });

  it('Notion: search, a page with a table block, and the table rows with cells', async () => {
    const found = (await notion('/v1/search', { page_size: 100 })) as { results: { id: string }[] };
    expect(shapeDrift(found, published('notion', 'search'))).toEqual([]);
    const blocks = (await notion(`/v1/blocks/${found.results[0]!.id}/children`)) as {
      results: { id: string; type: string }[];
    };
    expect(shapeDrift(blocks, published('notion', 'block-children'))).toEqual([]);
    const table = blocks.results.find((b) => b.type === 'table')!;
    const rows = await notion(`/v1/blocks/${table.id}/children`);
    expect(shapeDrift(rows, published('notion', 'table-rows'))).toEqual([]);
    expect(missingPaths(rows, ['$.results[].table_row.cells[][].plain_text'])).toEqual([]);
  });
});
