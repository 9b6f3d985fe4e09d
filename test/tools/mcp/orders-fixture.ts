import { join } from 'node:path';
import type { McpServerConfig } from '../../../tools/mcp/server-config';

/** The token the fixture server is started with; it echoes it, so tests can check redaction. */
export const ORDERS_TOKEN = 'orders-token-5e7c1d9a';

const SERVER = join(import.meta.dirname, '..', '..', 'fixtures', 'mcp', 'orders-server.mjs');

type StdioServer = Extract<McpServerConfig, { transport: 'stdio' }>;

/**
 * test/fixtures/mcp/orders-server.mjs as SRE_MCP_SERVERS would configure it, a real stdio child,
 * with its destructive tool allowlisted (the guard must still leave it out).
 */
export function ordersServer(overrides: Partial<StdioServer> = {}): StdioServer {
  return {
    name: 'orders',
    transport: 'stdio',
    command: process.execPath,
    args: [SERVER],
    env: { ORDERS_TOKEN },
    allowedTools: ['lookup_order', 'cancel_order'],
    ...overrides,
  };
}
