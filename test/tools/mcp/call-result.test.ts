import { describe, expect, it } from 'vitest';
import { MCP_DEFAULTS } from '../../../tools/defaults';
import { observationFromCallResult } from '../../../tools/mcp/call-result';

describe('an MCP tools/call result as an Observation', () => {
  it('joins text blocks into the summary, names other blocks, and keeps small structured content as data', () => {
    const obs = observationFromCallResult('mcp.gh.get_commit', {
      content: [
        { type: 'text', text: 'commit abc: fix pool size' },
        { type: 'image' },
        { type: 'resource', resource: { uri: 'file:///diff', text: '- max: 10\n+ max: 2' } },
        { type: 'resource_link', name: 'PR', uri: 'https://github.com/a/b/pull/1' },
      ],
      structuredContent: { sha: 'abc' },
    });
    expect(obs).toMatchObject({ ok: true, data: { sha: 'abc' }, truncated: false });
    expect(obs.summary).toBe(
      'commit abc: fix pool size\n[image content omitted]\n[resource file:///diff]\n- max: 10\n+ max: 2\n[link PR https://github.com/a/b/pull/1]',
    );
  });

  it('reads a tool-reported error (isError) as a failed observation with its text', () => {
    const obs = observationFromCallResult('mcp.gh.get_commit', {
      content: [{ type: 'text', text: 'Not Found' }],
      isError: true,
    });
    expect(obs).toMatchObject({
      ok: false,
      error: 'Not Found',
      summary: 'mcp.gh.get_commit reported an error: Not Found',
    });
  });

  it('drops structured content too large to keep as data, says so, and still shows it as text', () => {
    const big = { rows: 'x'.repeat(MCP_DEFAULTS.structuredDataChars) };
    const obs = observationFromCallResult('mcp.db.rows', { content: [], structuredContent: big });
    expect(obs.data).toBeUndefined();
    expect(obs.truncated).toBe(true);
    expect(obs.summary.startsWith('{"rows":"xxx')).toBe(true);
  });

  it('says when a tool returned nothing', () => {
    expect(observationFromCallResult('mcp.a.b', { content: [] }).summary).toBe('mcp.a.b returned nothing');
  });
});
