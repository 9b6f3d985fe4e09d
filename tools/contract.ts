import type { Logger } from 'pino';
import type { z } from 'zod';

/**
 * The one shape every tool has. A tool is read-only, describes itself for an LLM,
 * validates its input with zod and answers with an Observation; `run` never throws
 * (executeTool in tools/execute.ts enforces that for every tool).
 */
export type CitationSource =
  | 'datadog'
  | 'github'
  | 'rootly'
  | 'launchdarkly'
  | 'kubernetes'
  | 'knowledge'
  | 'slack';

export type Citation = {
  source: CitationSource;
  /** A stable reference: monitor id, full commit sha, owner/repo#N, incident id, doc id... */
  ref: string;
  title: string;
  url?: string;
};

export type Observation<D = unknown> = {
  ok: boolean;
  /** Compact text for the LLM, within the token budget. Untrusted: fenced by the agent. */
  summary: string;
  /** Structured result for synthesis and the offline investigator. */
  data?: D;
  citations: Citation[];
  truncated: boolean;
  /** On failure: what went wrong and what to change. */
  error?: string;
};

export type ServiceInfo = {
  repos: string[];
  team?: string;
  dependsOn?: string[];
  /** Where it runs in Kubernetes, when its workloads' labels do not name it (tools/k8s/service-scope.ts). */
  kubernetes?: { namespace?: string; labelSelector?: string };
};
export type ServiceCatalog = { services: Record<string, ServiceInfo> };

export type ToolContext = {
  /** The investigation clock (a scenario's `now`, or the wall clock). */
  now: Date;
  signal: AbortSignal;
  /** Epoch ms after which work should stop. */
  deadline: number;
  logger: Logger;
  catalog: ServiceCatalog;
  /** The Slack channel an investigation runs in: private-channel knowledge is scoped to it. */
  channelId?: string;
  /** Learned retrieval boosts for documents, for the alert under investigation (see agent/learning). */
  documentBoosts?: ReadonlyMap<string, { value: number; reason: string }>;
};

/** Integrations a tool may depend on; the registry offers a tool only when its integration is configured. */
export type Integration =
  | 'datadog'
  | 'github'
  | 'rootly'
  | 'launchdarkly'
  | 'kubernetes'
  | 'knowledge'
  | 'slack'
  | 'mcp'
  | 'builtin';

// biome-ignore lint/suspicious/noExplicitAny: a registry holds tools of many input types; each tool's own zod schema types its input.
export type Tool<I = any, D = unknown> = {
  /** Dotted name, e.g. `datadog.logs`; the LLM sees it as `datadog_logs` (see toFunctionName). */
  name: string;
  integration: Integration;
  /** Written for an LLM: when to use it and what it returns. */
  description: string;
  input: z.ZodType<I>;
  run(input: I, ctx: ToolContext): Promise<Observation<D>>;
};

/** OpenAI function names allow only [a-zA-Z0-9_-]. */
export function toFunctionName(toolName: string): string {
  return toolName.replace(/\./g, '_');
}

export function defineTool<I, D>(tool: Tool<I, D>): Tool<I, D> {
  return tool;
}

export function failure(error: string, summary = error): Observation<never> {
  return { ok: false, summary, citations: [], truncated: false, error };
}
