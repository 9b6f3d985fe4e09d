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

export const PlannerKind = z.enum(['offline', 'llm', 'hybrid']);

/**
 * Hybrid runs: what the model made of the evidence model's first answer. `confirmed`: same top
 * suspect; `overturned`: another top suspect, citing evidence that exists; `added`: a cause where
 * the first answer had none; `refused`: a contradiction without evidence ids (the first answer
 * stands); `failed`: the model failed, timed out or ran out of budget (the first answer stands).
 */
export const RefinementSchema = z.object({
  model: z.string(),
  outcome: z.enum(['confirmed', 'overturned', 'added', 'refused', 'failed']),
  /** One line for the reader: what the model changed, or why the first answer stands. */
  note: z.string(),
  /** The evidence model's answer as it was first shown (kept in the trace). */
  offline: SummarySchema,
  /** Milliseconds from the start of the run to the first answer. */
  firstAnswerMs: z.number(),
});

export const InvestigationResultSchema = z.object({
  id: z.string(),
  alert: AlertSchema,
  planner: PlannerKind,
  status: z.enum(['completed', 'budget_exhausted', 'failed']),
  summary: SummarySchema,
  evidence: z.array(EvidenceSchema),
  steps: z.array(StepSchema),
  usage: UsageSchema,
  /** Hybrid runs only: the first answer and what the model made of it. */
  refinement: RefinementSchema.optional(),
});

export type SuspectKind = z.infer<typeof SuspectKind>;
export type Confidence = z.infer<typeof Confidence>;
export type PlannerKind = z.infer<typeof PlannerKind>;
export type Refinement = z.infer<typeof RefinementSchema>;
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
