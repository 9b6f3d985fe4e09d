import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Logger } from 'pino';
import { createAssistantMcpServer } from '../mcp/assistant-server';
import type { Runtime } from '../runtime';
import { readBody, secretMatches } from './webhook';

export type McpEndpointOptions = {
  /** Every request must carry `Authorization: Bearer <token>` (SRE_MCP_TOKEN). */
  token: string;
  /** 0 picks a free port. */
  port: number;
  limitBytes: number;
  logger: Logger;
};

export type McpEndpoint = { url: string; close(): Promise<void> };

/**
 * `POST /mcp` on the loopback interface: the assistant's MCP server over streamable HTTP, stateless
 * (a fresh server per request, as the SDK suggests for servers without sessions) with JSON answers.
 * It answers only with the bearer token, only to a Host naming the loopback (so a web page cannot
 * reach it by DNS rebinding), and only bodies under the size limit.
 */
export async function startMcpEndpoint(rt: Runtime, options: McpEndpointOptions): Promise<McpEndpoint> {
  let hosts: string[] = [];
  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      options.logger.error({ err }, 'MCP endpoint request failed');
      if (!res.headersSent) reply(res, 500, 'internal error');
      else res.end();
    });
  });
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (new URL(req.url ?? '/', 'http://localhost').pathname !== '/mcp')
      return reply(res, 404, 'not found: use /mcp');
    if (!hosts.includes(req.headers.host ?? ''))
      return reply(res, 403, 'Host must name the loopback address');
    const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!secretMatches(bearer, options.token)) {
      res.setHeader('www-authenticate', 'Bearer');
      return reply(res, 401, 'missing or wrong bearer token');
    }
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      return reply(res, 405, 'stateless endpoint: POST JSON-RPC messages');
    }
    const raw = await readBody(req, options.limitBytes);
    if (raw === 'too_large') return reply(res, 413, `body larger than ${options.limitBytes} bytes`);
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return reply(res, 400, 'body is not JSON', -32700);
    }
    const mcp = createAssistantMcpServer(rt);
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    res.on('close', () => {
      void transport.close();
      void mcp.close();
    });
    await mcp.connect(transport);
    await transport.handleRequest(req, res, body);
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  hosts = [`127.0.0.1:${port}`, `localhost:${port}`];
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Errors in JSON-RPC's shape, so an MCP client reports them as such. */
function reply(res: ServerResponse, status: number, message: string, code = -32000): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}
