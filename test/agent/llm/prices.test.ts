import { describe, expect, it } from 'vitest';
import { costUsd } from '../../../agent/llm/prices';

describe('the cost of a model call', () => {
  it('prices known models from the table, dated variants included, and unknown ones at 0', () => {
    expect(costUsd('gpt-4o-mini', 1_000_000, 1_000_000)).toBeCloseTo(0.75);
    expect(costUsd('gpt-4o-mini-2024-07-18', 1_000_000, 0)).toBeCloseTo(0.15);
    expect(costUsd('llama3.1:8b', 1_000_000, 1_000_000)).toBe(0);
  });

  it('a configured price (SRE_LLM_PRICE) wins over the table', () => {
    expect(costUsd('llama3.1:8b', 2_000_000, 500_000, { input: 0.5, output: 2 })).toBeCloseTo(2);
    expect(costUsd('gpt-4o', 1_000_000, 0, { input: 1, output: 1 })).toBeCloseTo(1);
  });
});
