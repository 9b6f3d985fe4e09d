import { describe, expect, it } from 'vitest';
import { investigate } from '../../agent/investigate';
import { parseEnv } from '../../app/config';
import { silentLogger } from '../../app/logger';
import { createRuntime } from '../../app/runtime';
import { DEMO } from '../tools/helpers';
import { ordersServer } from '../tools/mcp/orders-fixture';

/**
 * SRE_MCP_SERVERS servers that cannot be used (issue 18): a child that exits at start, a command
 * that does not exist, an HTTP server that refuses the connection. Each is reported as a source the
 * investigation could not check, with why; none stops the runtime or the investigation.
 */
describe('an MCP server that does not start is a source the investigation could not check', () => {
  it('lists each failed server with its error in the result, and keeps the working one', {
    timeout: 60_000,
  }, async () => {
    const { name: _n, transport: _t, ...orders } = ordersServer();
    const setting = {
      mcpServers: {
        orders,
        exits: {
          command: process.execPath,
          args: ['-e', 'console.error("no API key"); process.exit(3)'],
          allowedTools: ['x'],
        },
        missing: { command: '/nonexistent/mcp-server', allowedTools: ['x'] },
        refused: { url: 'http://127.0.0.1:9/mcp', allowedTools: ['x'] },
      },
    };
    const env = parseEnv({ SRE_MCP_SERVERS: JSON.stringify(setting), SRE_DB_PATH: ':memory:' });
    const runtime = await createRuntime({
      env,
      logger: silentLogger,
      scenarioDir: DEMO,
      dbPath: ':memory:',
      mcp: true,
    });
    try {
      expect(runtime.tools.map((t) => t.name)).toContain('mcp.orders.lookup_order');
      const result = await investigate({ alert: runtime.alertFromScenario!, runtime });
      expect(result.status).toBe('completed');
      const unchecked = result.summary.unchecked ?? [];
      const line = (name: string) => unchecked.find((u) => u.startsWith(`MCP server ${name} `));
      expect(line('exits')).toMatch(
        /^MCP server exits \(stdio\): unavailable, .*its stderr said: no API key/,
      );
      expect(line('missing')).toMatch(/^MCP server missing \(stdio\): unavailable, .*ENOENT/);
      expect(line('refused')).toMatch(/^MCP server refused \(http\): unavailable, /);
      expect(line('orders')).toBeUndefined();
      // The investigation still found the demo's cause with the sources it had.
      expect(result.summary.suspects[0]?.ref).toMatch(/^7c1e9a4/);
    } finally {
      await runtime.close();
    }
  });
});
