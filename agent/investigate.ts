import type { Logger } from 'pino';
import type { Db } from '../data/db';
import type { Embedder } from '../data/knowledge-store';
import type { ServiceCatalog, Tool } from '../tools/contract';
import type { Alert } from './alert';
import { runInvestigation } from './controller';
import type { Limits } from './defaults';
import type { EventListener } from './events';
import type { FollowUp } from './follow-up';
import { calibrateSuspects, planWithPriors, sortByToolPrior } from './learning/apply';
import { type LearnedContext, learnedHintText, NOTHING_LEARNED } from './learning/context';
import { loadLearnedContext } from './learning/load';
import { learnedWeights } from './learning/weights';
import { createLlmClient, type LlmConfig } from './llm/client';
import { createLlmPlanner } from './llm/planner';
import { createOfflinePlanner } from './offline/index';
import { sqliteSink } from './persist';
import type { LearnedHints } from './prompts';
import type { InvestigationResult } from './result';

/** What an investigation needs from its host process (app/runtime.ts builds it). */
export type InvestigationRuntime = {
  db: Db;
  tools: Tool[];
  catalog: ServiceCatalog;
  now(): Date;
  logger: Logger;
  secrets: readonly string[];
  limits: Limits;
  /** Set when an OpenAI-compatible model is configured; otherwise the offline investigator runs. */
  llm?: LlmConfig;
  /** Finds worked examples of similar past alerts for the LLM (learning). */
  embedder?: Embedder;
  /** false switches learned priors and examples off (SRE_LEARNING=off). */
  learning?: boolean;
  /** Configured sources that could not be used at all (an MCP server that did not start), with why. */
  unchecked?: readonly string[];
};

/** The one entry point presenters use: picks the planner, wires persistence, runs to a result. */
export async function investigate(options: {
  alert: Alert;
  runtime: InvestigationRuntime;
  onEvent?: EventListener;
  channelId?: string;
  threadTs?: string;
  signal?: AbortSignal;
  id?: string;
  /** A question asked in the thread of an investigation of `alert`: this run is a turn of it. */
  followUp?: FollowUp;
}): Promise<InvestigationResult> {
  const { runtime } = options;
  const learned =
    runtime.learning === false
      ? NOTHING_LEARNED
      : await loadLearnedContext(runtime.db, options.alert, {
          embedder: runtime.llm ? runtime.embedder : undefined,
          knownServices: Object.keys(runtime.catalog.services),
          channelId: options.channelId,
        });
  // Learning reaches the offline planner only through these: agent/offline knows nothing of agent/learning.
  const offline = createOfflinePlanner({
    tools: runtime.tools,
    catalog: runtime.catalog,
    weights: learnedWeights(learned.weights),
    learned: {
      orderCalls: (calls) => planWithPriors(calls, learned),
      calibrate: (suspects) => calibrateSuspects(suspects, learned),
      documentBoosts: learned.documents,
    },
  });
  const llm = runtime.llm
    ? createLlmPlanner({
        client: createLlmClient(runtime.llm),
        model: runtime.llm.model,
        // The model sees the tools that settled similar alerts first.
        tools: sortByToolPrior(runtime.tools, (t) => t.name, learned),
        catalog: runtime.catalog,
        secrets: runtime.secrets,
        toolMode: runtime.llm.toolMode,
        hints: withLearned(options.followUp, learned),
      })
    : undefined;
  return runInvestigation({
    alert: options.alert,
    planner: llm ?? offline,
    fallbackPlanner: llm ? offline : undefined,
    tools: runtime.tools,
    now: runtime.now(),
    catalog: runtime.catalog,
    logger: runtime.logger,
    channelId: options.channelId,
    limits: runtime.limits,
    sink: sqliteSink(runtime.db, { threadTs: options.threadTs, question: options.followUp?.question }),
    onEvent: options.onEvent,
    signal: options.signal,
    id: options.id,
    secrets: runtime.secrets,
    documentBoosts: learned.documents,
    unchecked: runtime.unchecked,
  });
}

/** A follow-up's question and context plus what learning knows about alerts like this one. */
function withLearned(followUp: FollowUp | undefined, learned: LearnedContext): LearnedHints | undefined {
  const text = [followUp?.context, learnedHintText(learned)].filter(Boolean).join('\n\n');
  const examples = [...learned.examples];
  if (!text && examples.length === 0) return undefined;
  return { text: text || undefined, examples };
}
