// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is the SRE_MCP_SERVERS syntax for naming environment variables.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { describeMcpServer } from '../../../app/commands/tools';
import { DEMO } from '../../tools/helpers';
import { ordersServer } from '../../tools/mcp/orders-fixture';

const exec = promisify(execFile);

describe('sre tools lists the tools of MCP servers', () => {
  it('prints one line per server and one per tool it left out, with why', () => {
    expect(
      describeMcpServer({
        name: 'orders',
        transport: 'stdio',
        connected: true,
        tools: ['mcp.orders.lookup_order'],
        excluded: [{ tool: 'cancel_order', reason: 'destructive (annotations: destructiveHint true)' }],
      }),
    ).toEqual([
      'MCP server orders (stdio): 1 tool(s) offered',
      '  left out cancel_order: destructive (annotations: destructiveHint true)',
    ]);
    expect(
      describeMcpServer({
        name: 'gh',
        transport: 'http',
        connected: false,
        error: 'fetch failed',
        tools: [],
        excluded: [],
      }),
    ).toEqual(['MCP server gh (http): unavailable, fetch failed']);
  });

  // Spawns the CLI (tsx) and the fixture server: seconds on a loaded machine, so the bound is generous.
  it('--json prints the registry with the allowlisted MCP tool and every server status', {
    timeout: 120_000,
  }, async () => {
    const { name: _n, transport: _t, ...orders } = ordersServer();
    const setting = {
      mcpServers: {
        orders: { ...orders, env: { ORDERS_TOKEN: '${FIXTURE_TOKEN}' } },
        down: { url: 'http://127.0.0.1:9/mcp', allowedTools: ['anything'] },
      },
    };
    const { stdout } = await exec(
      process.execPath,
      ['--import', 'tsx', 'app/cli.ts', 'tools', '--scenario', DEMO, '--json'],
      {
        env: {
          PATH: process.env.PATH,
          SRE_DB_PATH: join(mkdtempSync(join(tmpdir(), 'sre-tools-')), 'sre.db'),
          SRE_MCP_SERVERS: JSON.stringify(setting),
          FIXTURE_TOKEN: 'fixture-token-123456',
        },
        timeout: 100_000,
      },
    );
    const out = JSON.parse(stdout) as {
      tools: { name: string; integration: string }[];
      mcpServers: { name: string; connected: boolean; tools: string[]; error?: string }[];
    };
    expect(out.tools.filter((t) => t.integration === 'mcp').map((t) => t.name)).toEqual([
      'mcp.orders.lookup_order',
    ]);
    expect(out.tools.map((t) => t.name)).toContain('knowledge.search');
    expect(out.mcpServers.find((s) => s.name === 'orders')).toMatchObject({ connected: true });
    expect(out.mcpServers.find((s) => s.name === 'down')).toMatchObject({ connected: false });
  });
});
