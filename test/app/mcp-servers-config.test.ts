// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is the setting's own syntax for naming environment variables.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseEnv, secretValues } from '../../app/config';
import { parseMcpServers } from '../../app/mcp-servers-config';

const stdio = { command: 'node', args: ['orders.js'], allowedTools: ['lookup_order'] };

function messageOf(json: unknown, vars: Record<string, string> = {}): string {
  try {
    parseMcpServers(JSON.stringify(json), vars);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected the setting to be refused');
}

describe('SRE_MCP_SERVERS: the mcpServers shape MCP clients use, plus an allowlist', () => {
  it('reads a stdio server and a streamable-HTTP server', () => {
    const { servers } = parseMcpServers(
      JSON.stringify({
        mcpServers: {
          orders: { ...stdio, env: { LOG: 'debug' } },
          github: { url: 'https://api.example.com/mcp', type: 'http', allowedTools: ['get_commit'] },
        },
      }),
      {},
    );
    expect(servers).toEqual([
      {
        name: 'orders',
        transport: 'stdio',
        command: 'node',
        args: ['orders.js'],
        env: { LOG: 'debug' },
        allowedTools: ['lookup_order'],
      },
      {
        name: 'github',
        transport: 'http',
        url: 'https://api.example.com/mcp',
        headers: {},
        allowedTools: ['get_commit'],
      },
    ]);
  });

  it('substitutes ${VAR} and ${VAR:-default} and keeps substituted values as secrets to redact', () => {
    const setting = parseMcpServers(
      JSON.stringify({
        mcpServers: {
          github: {
            url: '${GH_MCP_URL:-https://api.githubcopilot.com/mcp/}',
            headers: { Authorization: 'Bearer ${GITHUB_TOKEN}', 'X-Team': 'sre' },
            allowedTools: ['get_commit'],
          },
        },
      }),
      { GITHUB_TOKEN: 'gho_substituted_value_123' },
    );
    const [github] = setting.servers;
    expect(github).toMatchObject({
      url: 'https://api.githubcopilot.com/mcp/',
      headers: { Authorization: 'Bearer gho_substituted_value_123', 'X-Team': 'sre' },
    });
    expect(setting.secrets).toContain('gho_substituted_value_123');
    expect(setting.secrets).not.toContain('sre');
  });

  it('treats literal values of secret-sounding headers and env as secrets too', () => {
    const { secrets } = parseMcpServers(
      JSON.stringify({
        mcpServers: {
          orders: { ...stdio, env: { ORDERS_API_KEY: 'literal-key-value', REGION: 'eu-west-1' } },
        },
      }),
      {},
    );
    expect(secrets).toContain('literal-key-value');
    expect(secrets).not.toContain('eu-west-1');
  });

  it.each([
    [{ servers: {} }, /^mcpServers: expected an object of servers by name/],
    [
      { mcpServers: { orders: { command: 'node' } } },
      /^mcpServers\.orders\.allowedTools: expected the list of tool names/,
    ],
    [
      { mcpServers: { orders: { ...stdio, allowedTools: [] } } },
      /^mcpServers\.orders\.allowedTools: expected at least one/,
    ],
    [
      { mcpServers: { github: { url: 'ftp://x', allowedTools: ['a'] } } },
      /^mcpServers\.github\.url: expected an http\(s\) URL/,
    ],
    [
      { mcpServers: { github: { url: 'https://x', type: 'sse', allowedTools: ['a'] } } },
      /^mcpServers\.github\.type: .*streamable HTTP/,
    ],
    [{ mcpServers: { 'my server': stdio } }, /^mcpServers\.my server: server names are/],
    [
      { mcpServers: { orders: { ...stdio, args: 'orders.js' } } },
      /^mcpServers\.orders\.args: expected an array/,
    ],
    [
      { mcpServers: { orders: { ...stdio, allowTools: ['x'] } } },
      /^mcpServers\.orders: unknown field "allowTools"/,
    ],
  ])('names the bad field of %j', (json, message) => {
    expect(messageOf(json)).toMatch(message);
  });

  it('names the field whose variable is not set', () => {
    expect(
      messageOf({
        mcpServers: {
          github: { url: 'https://x', headers: { Authorization: 'Bearer ${NOPE}' }, allowedTools: ['a'] },
        },
      }),
    ).toBe('mcpServers.github.headers.Authorization: names ${NOPE}, which is not set');
  });
});

describe('SRE_MCP_SERVERS in the environment', () => {
  it('takes inline JSON or a file path, and its secrets join the redacted values', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sre-mcp-config-'));
    const file = join(dir, 'mcp.json');
    const json = JSON.stringify({ mcpServers: { orders: { ...stdio, env: { TOKEN: '${ORDERS_TOKEN}' } } } });
    writeFileSync(file, json);
    for (const value of [json, file]) {
      const env = parseEnv({ SRE_MCP_SERVERS: value, ORDERS_TOKEN: 'orders-secret-9876' });
      expect(env.mcpServers?.servers[0]).toMatchObject({
        name: 'orders',
        env: { TOKEN: 'orders-secret-9876' },
      });
      expect(secretValues(env)).toContain('orders-secret-9876');
    }
  });

  it('refuses a bad setting with a ConfigError naming SRE_MCP_SERVERS and the field', () => {
    const bad = (value: string) => {
      try {
        parseEnv({ SRE_MCP_SERVERS: value });
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        return (err as Error).message;
      }
      throw new Error('expected a ConfigError');
    };
    expect(bad('{"mcpServers": ')).toMatch(/^Invalid configuration: SRE_MCP_SERVERS — not valid JSON/);
    expect(bad('/no/such/mcp.json')).toMatch(/SRE_MCP_SERVERS — no such file "\/no\/such\/mcp.json"/);
    expect(bad('{"mcpServers": {"o": {"command": "node"}}}')).toMatch(
      /SRE_MCP_SERVERS — mcpServers\.o\.allowedTools/,
    );
  });
});
