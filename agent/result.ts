import { z } from 'zod';
import { AlertSchema } from './alert';

/** Contract (DESIGN.md): what `investigate --json` prints and what every presenter renders. */
export const SuspectKind = z.enum([
  'commit',
  'pull_request',
  'deployment',
  'config_change',
  'feature_flag',
  'dependency',
  'infrastructure',
  'capacity',
  'unknown',
]);
export const Confidence = z.enum(['high', 'medium', 'low', 'none']);

export const SuspectSchema = z.object({
  kind: SuspectKind,
  /** commit: full sha; pull_request: owner/repo#N; deployment: id; feature_flag: key; dependency/infrastructure: component. */
  ref: z.string(),
  title: z.string(),
  service: z.string().optional(),
  score: z.number(),
  evidence: z.array(z.string()),
  url: z.string().optional(),
  /** Offline change suspects: the scoring features, each 0..1 (learning calibrates their weights). */
  features: z.object({ time: z.number(), service: z.number(), overlap: z.number() }).optional(),
});

export const LinkRefSchema = z.object({ id: z.string(), title: z.string(), url: z.string().optional() });

export const HypothesisSchema = z.object({
  statement: z.string(),
  status: z.enum(['open', 'supported', 'refuted']),
  evidence: z.array(z.string()),
});

export const SummarySchema = z.object({
  headline: z.string(),
  rootCause: z.string(),
  confidence: Confidence,
  suspects: z.array(SuspectSchema),
  impact: z.string(),
  nextSteps: z.array(z.string()),
  similarIncidents: z.array(LinkRefSchema),
  runbooks: z.array(LinkRefSchema),
  /** Sources that could not be checked (down, rate limited, misconfigured): said, not hidden. */
  unchecked: z.array(z.string()).optional(),
  /** Tool output that looked like prompt injection: flagged for the reader. */
  warnings: z.array(z.string()).optional(),
  hypotheses: z.array(HypothesisSchema).optional(),
});

export const EvidenceSchema = z.object({
  id: z.string(),
  tool: z.string(),
  summary: z.string(),
  url: z.string().optional(),
});

export const ActionSchema = z.object({
  tool: z.string(),
  input: z.unknown(),
  ok: z.boolean(),
  ms: z.number(),
  error: z.string().optional(),
});

export const StepSchema = z.object({
  n: z.number().int(),
  thought: z.string(),
  actions: z.array(ActionSchema),
});

export const UsageSchema = z.object({
  llmCalls: z.number(),
  promptTokens: z.number(),
  completionTokens: z.number(),
  toolCalls: z.number(),
  wallMs: z.number(),
  costUsd: z.number(),
});

export const InvestigationResultSchema = z.object({
  id: z.string(),
  alert: AlertSchema,
  planner: z.enum(['offline', 'llm']),
  status: z.enum(['completed', 'budget_exhausted', 'failed']),
  summary: SummarySchema,
  evidence: z.array(EvidenceSchema),
  steps: z.array(StepSchema),
  usage: UsageSchema,
});

export type SuspectKind = z.infer<typeof SuspectKind>;
export type Confidence = z.infer<typeof Confidence>;
export type Suspect = z.infer<typeof SuspectSchema>;
export type LinkRef = z.infer<typeof LinkRefSchema>;
export type Hypothesis = z.infer<typeof HypothesisSchema>;
export type Summary = z.infer<typeof SummarySchema>;
export type Evidence = z.infer<typeof EvidenceSchema>;
export type Action = z.infer<typeof ActionSchema>;
export type Step = z.infer<typeof StepSchema>;
export type Usage = z.infer<typeof UsageSchema>;
export type InvestigationResult = z.infer<typeof InvestigationResultSchema>;

export function emptyUsage(): Usage {
  return { llmCalls: 0, promptTokens: 0, completionTokens: 0, toolCalls: 0, wallMs: 0, costUsd: 0 };
}
