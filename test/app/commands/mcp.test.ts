import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { describe, expect, it } from 'vitest';
import { DEMO } from '../../tools/helpers';

// One tsx start on a loaded two-core machine takes several seconds: the bounds are generous, not tight.
describe('sre mcp: the assistant served over stdio to a real client', { timeout: 120_000 }, () => {
  it('lists the tools and answers a knowledge search against a scenario', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sre-mcp-cli-'));
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: ['--import', 'tsx', 'app/cli.ts', 'mcp', '--scenario', DEMO],
      env: { SRE_DB_PATH: join(dir, 'sre.db'), SRE_LOG_LEVEL: 'silent' },
      cwd: join(import.meta.dirname, '..', '..', '..'),
      stderr: 'pipe',
    });
    const client = new Client({ name: 'test-editor', version: '1.0.0' });
    try {
      await client.connect(transport, { timeout: 90_000 });
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['knowledge.search', 'investigate']));
      expect(tools.every((t) => t.annotations?.readOnlyHint === true)).toBe(true);
      const answer = (await client.callTool({
        name: 'knowledge.search',
        arguments: { query: 'roll back a bad deploy' },
      })) as unknown as {
        content: { text: string }[];
        structuredContent: { data: { hits: { id: string }[] } };
      };
      expect(answer.content[0]!.text).toContain('untrusted output of knowledge.search');
      expect(answer.structuredContent.data.hits.map((h) => h.id)).toContain('runbooks/rollback.md');
    } finally {
      await client.close();
    }
  });
});
