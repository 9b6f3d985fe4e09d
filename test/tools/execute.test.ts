import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { silentLogger } from '../../app/logger';
import { tokenCount } from '../../lib/token-count';
import { defineTool, type Observation, type ToolContext } from '../../tools/contract';
import { abortMessage, executeTool } from '../../tools/execute';

function ctx(overrides: Partial<ToolContext> = {}): ToolContext {
  return {
    now: new Date('2026-01-01T00:00:00Z'),
    signal: new AbortController().signal,
    deadline: Date.now() + 60_000,
    logger: silentLogger,
    catalog: { services: {} },
    ...overrides,
  };
}

const echo = defineTool({
  name: 'test.echo',
  integration: 'builtin',
  description: 'Echoes its input.',
  input: z.object({ text: z.string(), times: z.number().int().min(1).default(1) }),
  run: async ({ text, times }) => ({
    ok: true,
    summary: text.repeat(times),
    citations: [],
    truncated: false,
  }),
});

describe('executeTool', () => {
  it('validates input and returns the exact schema error instead of running', async () => {
    const obs = await executeTool(echo, { text: 42 }, ctx());
    expect(obs.ok).toBe(false);
    expect(obs.error).toMatch(/^invalid input: text:/);
  });

  it('applies schema defaults', async () => {
    const obs = await executeTool(echo, { text: 'ab', times: 2 }, ctx());
    expect(obs).toMatchObject({ ok: true, summary: 'abab', truncated: false });
  });

  it('keeps the summary within the token budget and marks it truncated', async () => {
    const obs = await executeTool(echo, { text: 'error line with id 12345\n', times: 2000 }, ctx(), {
      tokenBudget: 200,
    });
    expect(obs.truncated).toBe(true);
    expect(tokenCount(obs.summary)).toBeLessThanOrEqual(200);
    expect(obs.summary).toMatch(/truncated/);
  });

  it('turns a throwing tool into ok:false', async () => {
    const boom = defineTool({
      ...echo,
      name: 'test.boom',
      run: async () => Promise.reject(new Error('kaput')),
    });
    const obs = await executeTool(boom, { text: 'x' }, ctx());
    expect(obs).toMatchObject({ ok: false, error: 'kaput' });
  });

  it('times out a slow tool with an actionable message', async () => {
    const slow = defineTool({
      ...echo,
      name: 'test.slow',
      run: (_input, c) =>
        new Promise<Observation>((resolve) => {
          const t = setTimeout(
            () => resolve({ ok: true, summary: 'late', citations: [], truncated: false }),
            5_000,
          );
          c.signal.addEventListener('abort', () => clearTimeout(t));
        }),
    });
    const obs = await executeTool(slow, { text: 'x' }, ctx(), { timeoutMs: 20 });
    expect(obs.ok).toBe(false);
    expect(obs.error).toMatch(/timed out after 20 ms/);
  });

  it('a call cut short by the nearer investigation deadline reads as the deadline, whichever timer fires first', async () => {
    const hang = defineTool({
      ...echo,
      name: 'test.hang',
      run: (_input, c) =>
        new Promise<Observation>((_resolve, reject) =>
          c.signal.addEventListener('abort', () => reject(c.signal.reason)),
        ),
    });
    // Only the call's own timer runs here (no controller deadline timer): the race the controller can lose.
    const obs = await executeTool(hang, { text: 'x' }, ctx({ deadline: Date.now() + 30 }), {
      timeoutMs: 10_000,
    });
    expect(obs.error).toMatch(/test\.hang timed out: no answer before the investigation's deadline/);
  });

  it('abortMessage names the call, its own timeout, the deadline or a cancel', () => {
    const timeout = Object.assign(new Error('t'), { name: 'TimeoutError' });
    const call = { name: 'x.y', timeoutMs: 50, boundByDeadline: false };
    expect(abortMessage(timeout, call)).toBe('x.y timed out after 50 ms; narrow the query or try again');
    expect(abortMessage(timeout, { ...call, boundByDeadline: true })).toMatch(
      /before the investigation's deadline/,
    );
    expect(abortMessage(new Error('deadline'), call)).toMatch(/before the investigation's deadline/);
    expect(abortMessage(new Error('user'), call)).toBe('x.y was cancelled');
  });

  it('stops when the investigation is cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    const obs = await executeTool(echo, { text: 'x' }, ctx({ signal: controller.signal }));
    expect(obs).toMatchObject({ ok: false });
    expect(obs.error).toMatch(/cancelled/);
  });
});
