import { describe, expect, it } from 'vitest';
import { aggregateScores, type ScenarioScore } from '../../../app/scenario/eval-score';
import { renderComparison } from '../../../app/scenario/eval-table';

const row = (o: Partial<ScenarioScore>): ScenarioScore => ({
  scenario: 'w',
  className: 'bad-commit',
  kind: 'commit',
  hit1: true,
  hit3: true,
  rank: 1,
  runbook: null,
  similarIncident: null,
  confidence: 'high',
  topRef: 'abc',
  steps: 4,
  toolCalls: 20,
  tokens: 0,
  promptTokens: 0,
  costUsd: 0,
  wallMs: 800,
  planner: 'offline',
  ...o,
});

describe('the eval --llm comparison', () => {
  it('puts the offline and the model columns side by side, metric by metric', () => {
    const offline = aggregateScores([row({}), row({ hit1: false, rank: 2, confidence: 'medium' })]);
    const hybrid = aggregateScores([
      row({
        planner: 'hybrid',
        tokens: 20_000,
        promptTokens: 19_500,
        costUsd: 0.003,
        wallMs: 9_000,
        firstAnswerMs: 700,
        refinement: 'confirmed',
      }),
      row({
        planner: 'hybrid',
        tokens: 30_000,
        promptTokens: 29_000,
        costUsd: 0.005,
        wallMs: 11_000,
        firstAnswerMs: 900,
        refinement: 'overturned',
      }),
    ]);
    const text = renderComparison([
      { label: 'offline', totals: offline },
      { label: 'hybrid gpt-4o-mini', totals: hybrid },
    ]);
    const line = (name: string) =>
      text
        .split('\n')
        .find((l) => l.startsWith(name))!
        .replace(/\s+/g, ' ');
    expect(line('2 worlds')).toBe('2 worlds offline hybrid gpt-4o-mini');
    expect(line('hit@1')).toBe('hit@1 50% 100%');
    expect(line('hit@3')).toBe('hit@3 100% 100%');
    expect(line('high: answers, top right')).toBe('high: answers, top right 1, 100% 2, 100%');
    expect(line('medium: answers, top right')).toBe('medium: answers, top right 1, 0% 0, -');
    expect(line('prompt tokens / investigation')).toBe('prompt tokens / investigation 0 24.3k');
    expect(line('cost, all worlds')).toBe('cost, all worlds $0.0000 $0.0080');
    expect(line('wall time / investigation')).toBe('wall time / investigation 0.80 s 10.00 s');
    expect(line('first answer / investigation')).toBe('first answer / investigation - 0.80 s');
    expect(line('refinements')).toBe('refinements - confirmed 1, overturned 1');
  });
});
