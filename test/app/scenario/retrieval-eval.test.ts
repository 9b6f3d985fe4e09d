import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateRetrieval } from '../../../app/scenario/retrieval-eval';

describe('retrieval quality on the labeled query set', () => {
  it('finds a relevant page in the top 5 for at least 80% of paraphrased questions, and fusion is no worse than either half', async () => {
    const report = await evaluateRetrieval(
      join(import.meta.dirname, '..', '..', '..', 'sandbox', 'scenarios'),
    );
    expect(report.queries).toBeGreaterThanOrEqual(30);
    expect(report.hybrid, JSON.stringify(report.misses)).toBeGreaterThanOrEqual(0.8);
    expect(report.top1.hybrid).toBeGreaterThanOrEqual(Math.max(report.top1.vector, report.top1.text));
  });
});
