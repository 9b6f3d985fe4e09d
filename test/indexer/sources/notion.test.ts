import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../data/db';
import { blockToMarkdown, notionSource, tableToMarkdown } from '../../../indexer/sources/notion';
import { json } from '../../../sandbox/http';
import { type Sandbox, startSandbox } from '../../../sandbox/server';
import { vendorFixture } from '../../fixtures/real/wire-shape';
import { DEMO, sandboxWith } from '../../tools/helpers';

type Block = { id: string; type: string; has_children?: boolean } & Record<string, unknown>;
const blocksOf = (name: string) => (vendorFixture('notion', name).response as { results: Block[] }).results;

describe('Notion blocks as published', () => {
  it('headings and paragraphs: their rich text, annotations dropped', () => {
    const f = vendorFixture<string[]>('notion', 'block-children');
    expect(blocksOf('block-children').map(blockToMarkdown).filter(Boolean)).toEqual(f.expect);
  });

  it('a table and its table_row children (cells of rich text, an empty cell []) become one Markdown table', () => {
    const table = blocksOf('block-children').find((b) => b.type === 'table')!;
    expect(tableToMarkdown(table, blocksOf('table-rows'))).toBe(vendorFixture('notion', 'table-rows').expect);
  });

  it('a pipe inside a cell is escaped, and a table without a header row gets no separator', () => {
    const row = (text: string) => ({
      id: 'r',
      type: 'table_row',
      table_row: { cells: [[{ plain_text: text }]] },
    });
    const table = { id: 't', type: 'table', table: { table_width: 1, has_column_header: false } };
    expect(tableToMarkdown(table, [row('a|b'), row('c')])).toBe('| a\\|b |\n| c |');
  });

  describe('the source', () => {
    let sandbox: Sandbox;
    afterEach(() => sandbox.close());
    const index = async () =>
      (
        await notionSource({ token: 'secret_t', baseUrl: sandbox.url }).fetch({
          db: openDatabase(':memory:'),
          full: true,
        })
      ).docs;

    it('on the published responses: the table rows are indexed with the page', async () => {
      const pageId = '59833787-2cf9-4fdf-8782-e53db20768a5';
      sandbox = await startSandbox(DEMO, [
        {
          method: 'POST',
          pattern: '/v1/search',
          handler: () => json(vendorFixture('notion', 'search').response),
        },
        {
          method: 'GET',
          pattern: '/v1/blocks/:id/children',
          handler: (req) =>
            json(
              vendorFixture('notion', req.params.id === pageId ? 'block-children' : 'table-rows').response,
            ),
        },
      ]);
      const [doc] = await index();
      expect(doc!.title).toBe('On-call escalation');
      const text = doc!.chunks.map((c) => c.text).join('\n');
      expect(text).toContain('| orders | Commerce | orders-oncall |');
      expect(text).toContain('never skip the incident channel');
    });

    it('on the sandbox: a Markdown table in a Notion doc is served as table + table_row blocks and indexed', async () => {
      const demo = await startSandbox(DEMO);
      const docs = demo.scenario.docs.map((d) =>
        d.source === 'notion'
          ? { ...d, body: `${d.body}\n\n| Service | Pager |\n|---|---|\n| checkout | pay-oncall |\n` }
          : d,
      );
      await demo.close();
      sandbox = await sandboxWith({ docs });
      const [doc] = await index();
      expect(doc!.chunks.map((c) => c.text).join('\n')).toContain('| checkout | pay-oncall |');
      expect(sandbox.requests.filter((r) => r.path.startsWith('/v1/blocks/'))).toHaveLength(2);
    });
  });
});
