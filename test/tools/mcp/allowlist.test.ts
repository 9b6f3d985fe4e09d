import { describe, expect, it } from 'vitest';
import { type ListedMcpTool, selectMcpTools } from '../../../tools/mcp/allowlist';

const tool = (name: string, annotations?: ListedMcpTool['annotations']): ListedMcpTool => ({
  name,
  annotations,
});

describe("the guard in front of an MCP server's tools", () => {
  it('offers only allowlisted tools', () => {
    const { exposed, excluded } = selectMcpTools({ allowedTools: ['get_commit'] }, [
      tool('get_commit', { readOnlyHint: true }),
      tool('search_code', { readOnlyHint: true }),
    ]);
    expect(exposed.map((t) => t.name)).toEqual(['get_commit']);
    expect(excluded).toEqual([{ tool: 'search_code', reason: 'not in allowedTools' }]);
  });

  it('never offers a tool whose annotations say it destroys or writes, even when allowlisted', () => {
    const { exposed, excluded } = selectMcpTools(
      { allowedTools: ['delete_repo', 'create_issue', 'get_commit'] },
      [
        tool('delete_repo', { destructiveHint: true }),
        tool('create_issue', { readOnlyHint: false, destructiveHint: false }),
        tool('get_commit', { readOnlyHint: true, destructiveHint: false }),
      ],
    );
    expect(exposed.map((t) => t.name)).toEqual(['get_commit']);
    expect(excluded).toEqual([
      { tool: 'delete_repo', reason: 'destructive (annotations: destructiveHint true)' },
      { tool: 'create_issue', reason: 'not read-only (annotations: readOnlyHint false)' },
    ]);
  });

  it('offers an allowlisted tool without annotations: listing it is the operator saying it only reads', () => {
    expect(selectMcpTools({ allowedTools: ['status'] }, [tool('status')]).exposed.map((t) => t.name)).toEqual(
      ['status'],
    );
  });

  it('reports an allowlisted name the server does not offer', () => {
    expect(selectMcpTools({ allowedTools: ['gone'] }, []).excluded).toEqual([
      { tool: 'gone', reason: 'allowlisted, but the server does not offer it' },
    ]);
  });
});
