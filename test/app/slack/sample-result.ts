import type { InvestigationResult } from '../../../agent/result';

/** A small, complete InvestigationResult for tests of what the Slack side does with one. */
export function sampleResult(
  id: string,
  summary: Partial<InvestigationResult['summary']> = {},
): InvestigationResult {
  return {
    id,
    alert: {
      id: 'a',
      source: 'text',
      title: 't',
      status: 'triggered',
      tags: [],
      startedAt: '2026-01-01T00:00:00Z',
      text: 't',
    },
    planner: 'offline',
    status: 'completed',
    summary: {
      headline: 'h',
      rootCause: 'r',
      confidence: 'high',
      suspects: [],
      impact: 'i',
      nextSteps: [],
      similarIncidents: [],
      runbooks: [],
      ...summary,
    },
    evidence: [],
    steps: [],
    usage: { llmCalls: 0, promptTokens: 0, completionTokens: 0, toolCalls: 0, wallMs: 0, costUsd: 0 },
  };
}
