import { describe, expect, it } from 'vitest';
import type { InvestigationResult } from '../../../agent/result';
import { renderEvent, renderSummary } from '../../../app/present/terminal';
import { sampleResult } from '../../fixtures/investigation';

const plain = (s: string | undefined) => (s ?? '').replace(/\x1b\[[0-9;]*m/g, '');

describe('the terminal presenter with a hybrid run', () => {
  const first = {
    ...sampleResult('inv_t', { headline: 'Commit 7c1e9a4 broke checkout' }),
    usage: { llmCalls: 0, promptTokens: 0, completionTokens: 0, toolCalls: 20, wallMs: 900, costUsd: 0 },
  };

  it('prints the first answer as soon as it exists, and that the model is refining it', () => {
    const text = plain(renderEvent({ type: 'first_answer', result: first, refiningWith: 'gpt-4o-mini' }));
    expect(text).toContain('⚡ First answer (0.9 s) Commit 7c1e9a4 broke checkout (confidence high)');
    expect(text).toContain('gpt-4o-mini is refining it…');
  });

  it('the summary says what the model made of the first answer', () => {
    const refined = (outcome: 'confirmed' | 'overturned', note: string): InvestigationResult => ({
      ...first,
      planner: 'hybrid',
      refinement: { model: 'gpt-4o-mini', outcome, note, offline: first.summary, firstAnswerMs: 900 },
    });
    expect(plain(renderSummary(refined('confirmed', 'Confirmed by gpt-4o-mini')))).toContain(
      '◆ Confirmed by gpt-4o-mini · first answer in 0.9 s',
    );
    const overturned = plain(
      renderSummary(refined('overturned', 'Overturned by gpt-4o-mini: feature flag x')),
    );
    expect(overturned).toContain('◆ Overturned by gpt-4o-mini: feature flag x');
    expect(overturned).toContain('first answer (0.9 s): Commit 7c1e9a4 broke checkout');
  });
});
