/**
 * One MCP server the assistant takes tools from, as app/mcp-servers-config.ts reads it from
 * SRE_MCP_SERVERS: the shape MCP clients (Claude Desktop, Cursor, VS Code) use, plus the allowlist.
 * Values that named environment variables arrive already substituted.
 */
export type McpServerConfig = {
  /** The key under `mcpServers`; tools are named `mcp.<name>.<tool>`. */
  name: string;
  /** The only tool names offered to investigations; anything else the server lists is ignored. */
  allowedTools: string[];
} & (
  | { transport: 'stdio'; command: string; args: string[]; env: Record<string, string>; cwd?: string }
  | { transport: 'http'; url: string; headers: Record<string, string> }
);
