import { z } from 'zod';
import type { McpServerConfig } from '../tools/mcp/server-config';

/**
 * SRE_MCP_SERVERS: the `mcpServers` object MCP clients already use (Claude Desktop, Cursor,
 * Claude Code), each server with the `allowedTools` it may offer investigations:
 *   {"mcpServers": {"github": {"url": "https://…/mcp", "headers": {"Authorization": "Bearer ${GITHUB_TOKEN}"},
 *                              "allowedTools": ["get_commit"]},
 *                   "orders": {"command": "node", "args": ["server.js"], "env": {"TOKEN": "${ORDERS_TOKEN}"},
 *                              "allowedTools": ["lookup_order"]}}}
 * `${VAR}` and `${VAR:-default}` in command, args, env, url and headers name environment
 * variables, as in Claude Code's `.mcp.json`. Pure: app/config.ts reads the file and the env.
 */
const SERVER_NAME = /^[A-Za-z0-9_-]{1,32}$/;
const TOOL_NAME = /^[A-Za-z0-9_.-]{1,128}$/;

const allowedTools = z
  .array(z.string().regex(TOOL_NAME, 'expected tool names of letters, digits, _ . or -'), {
    error: 'expected the list of tool names investigations may use, e.g. ["search_issues"]',
  })
  .min(1, 'expected at least one tool name: only listed tools are ever offered');
const stringMap = z.record(z.string(), z.string(), { error: 'expected an object of string values' });
const httpUrl = z
  .string({ error: 'expected an http(s) URL' })
  .refine((u) => URL.canParse(u) && /^https?:$/.test(new URL(u).protocol), 'expected an http(s) URL');

const stdioServer = z.strictObject({
  command: z.string({ error: 'expected the command that starts the server' }).min(1),
  args: z.array(z.string(), { error: 'expected an array of strings' }).default([]),
  env: stringMap.default({}),
  cwd: z.string().min(1).optional(),
  type: z.literal('stdio').optional(),
  allowedTools,
});
const httpServer = z.strictObject({
  url: httpUrl,
  headers: stringMap.default({}),
  type: z
    .enum(['http', 'streamable-http'], { error: 'expected "http": only streamable HTTP is supported' })
    .optional(),
  allowedTools,
});

const McpServersSchema = z.strictObject({
  mcpServers: z.record(z.string(), z.unknown(), { error: 'expected an object of servers by name' }),
});

export type McpServersSetting = {
  servers: McpServerConfig[];
  /** Values substituted from the environment: redacted wherever they appear, like any secret. */
  secrets: string[];
};

/** Throws an Error whose message names the bad field, e.g. `mcpServers.github.url: expected an http(s) URL`. */
export function parseMcpServers(
  text: string,
  vars: Readonly<Record<string, string | undefined>>,
): McpServersSetting {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`not valid JSON (${(err as Error).message})`);
  }
  const top = McpServersSchema.safeParse(json);
  if (!top.success) throw new Error(describeIssue(top.error.issues[0]!, []));
  const secrets: string[] = [];
  const servers = Object.entries(top.data.mcpServers).map(([name, raw]) => {
    const at = ['mcpServers', name];
    if (!SERVER_NAME.test(name))
      throw new Error(
        `${at.join('.')}: server names are 1-32 letters, digits, _ or - (they become part of tool names)`,
      );
    const expanded = expandVariables(raw, vars, at, secrets);
    const isHttp = typeof expanded === 'object' && expanded !== null && 'url' in expanded;
    const parsed = (isHttp ? httpServer : stdioServer).safeParse(expanded);
    if (!parsed.success) throw new Error(describeIssue(parsed.error.issues[0]!, at));
    const s = parsed.data;
    secrets.push(...secretLooking('url' in s ? s.headers : s.env));
    return 'url' in s
      ? { name, transport: 'http' as const, url: s.url, headers: s.headers, allowedTools: s.allowedTools }
      : {
          name,
          transport: 'stdio' as const,
          command: s.command,
          args: s.args,
          env: s.env,
          ...(s.cwd ? { cwd: s.cwd } : {}),
          allowedTools: s.allowedTools,
        };
  });
  return { servers, secrets: [...new Set(secrets)] };
}

/** Header and env values under secret-sounding names, and a credential after its scheme ("Bearer …"). */
function secretLooking(values: Record<string, string>): string[] {
  return Object.entries(values)
    .filter(([k]) => /token|key|secret|password|authorization|auth|credential/i.test(k))
    .flatMap(([, v]) => [v, v.replace(/^(?:Bearer|Basic|Token)\s+/i, '')]);
}

function describeIssue(issue: z.core.$ZodIssue, at: string[]): string {
  const path = [...at, ...issue.path.map(String)].join('.');
  const message =
    issue.code === 'unrecognized_keys'
      ? `unknown field ${issue.keys.map((k) => `"${k}"`).join(', ')}`
      : issue.message;
  return path ? `${path}: ${message}` : message;
}

/** Replaces `${VAR}` / `${VAR:-default}` in every string of a server entry except its allowlist. */
function expandVariables(
  value: unknown,
  vars: Readonly<Record<string, string | undefined>>,
  at: string[],
  secrets: string[],
): unknown {
  if (typeof value === 'string')
    return value.replace(
      /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g,
      (_m, name: string, fallback?: string) => {
        const set = vars[name];
        if (set !== undefined && set !== '') {
          secrets.push(set);
          return set;
        }
        if (fallback !== undefined) return fallback;
        throw new Error(`${at.join('.')}: names \${${name}}, which is not set`);
      },
    );
  if (Array.isArray(value)) return value.map((v, i) => expandVariables(v, vars, [...at, String(i)], secrets));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        k === 'allowedTools' ? v : expandVariables(v, vars, [...at, k], secrets),
      ]),
    );
  return value;
}
