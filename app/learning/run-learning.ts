import type { Logger } from 'pino';
import type { LearnedPrior } from '../../agent/learning/context';
import { LEARNING_DEFAULTS } from '../../agent/learning/defaults';
import { alertEmbeddingText, isWorkedExample, workedExample } from '../../agent/learning/examples';
import { type Judgement, judge } from '../../agent/learning/judge';
import { linkIncidents } from '../../agent/learning/outcomes';
import { computePriors } from '../../agent/learning/priors';
import { type InvestigationResult, InvestigationResultSchema } from '../../agent/result';
import type { Db } from '../../data/db';
import type { Embedder } from '../../data/knowledge-store';
import { getEmbeddingSpace } from '../../data/knowledge-store';
import {
  activeLearningRun,
  documentTitles,
  type ExampleRow,
  investigationsForLearning,
  priorsOfRun,
  pruneLearningRuns,
  recordOutcome,
  saveLearningRun,
} from '../../data/learning';
import { listIncidents, type RootlyConfig } from '../../tools/rootly/index';
import { diffPriors, type PriorChange } from './diff';

export type LearningReport = {
  runId: number;
  investigations: number;
  rated: number;
  outcomes: { linked: number; fetched: number; error?: string };
  priors: number;
  examples: number;
  changes: PriorChange[];
};

/**
 * One learning pass: link resolved Rootly incidents to investigations, judge every investigation
 * from its feedback and outcomes, recompute every prior and worked example from scratch, store
 * them as a new active run (the previous one stays for `learn --rollback`) and say what changed.
 */
export async function runLearning(options: {
  db: Db;
  embedder: Embedder;
  rootly?: RootlyConfig;
  logger: Logger;
  now?: Date;
  signal?: AbortSignal;
}): Promise<LearningReport> {
  const { db, logger } = options;
  const now = options.now ?? new Date();
  const since = new Date(now.getTime() - LEARNING_DEFAULTS.lookbackDays * 86_400_000).toISOString();
  const parse = () =>
    investigationsForLearning(db, since).flatMap((row) => {
      const parsed = InvestigationResultSchema.safeParse(row.result);
      return parsed.success ? [{ ...row, result: parsed.data }] : [];
    });

  const outcomes = { linked: 0, fetched: 0 } as LearningReport['outcomes'];
  if (options.rootly) {
    try {
      const incidents = (
        await listIncidents(options.rootly, {}, options.signal ?? new AbortController().signal)
      ).filter((i) => i.resolvedAt);
      outcomes.fetched = incidents.length;
      for (const link of linkIncidents(incidents, parse())) {
        const i = link.incident;
        const isNew = recordOutcome(db, {
          investigationId: link.investigationId,
          incidentId: i.id,
          source: 'rootly',
          title: i.title,
          url: i.url,
          startedAt: i.startedAt,
          resolvedAt: i.resolvedAt,
          resolutionMs: link.resolutionMs,
          cause: i.cause,
          mitigation: i.mitigation,
          matchedRank: link.matchedRank,
          matchedRef: link.matchedRef,
          linkedAt: now.toISOString(),
        });
        if (isNew) outcomes.linked += 1;
      }
    } catch (err) {
      // Learning still runs on explicit feedback when Rootly is down.
      outcomes.error = err instanceof Error ? err.message : String(err);
      logger.warn({ err }, 'learn: could not read Rootly incidents');
    }
  }

  const investigations = parse();
  const judged: { result: InvestigationResult; channelId: string | null; j: Judgement }[] =
    investigations.map((inv) => ({
      result: inv.result,
      channelId: inv.channelId,
      j: judge({
        id: inv.id,
        result: inv.result,
        feedback: inv.feedback,
        outcomes: inv.outcomes.map((o) => ({
          matchedRank: o.matchedRank,
          matchedRef: o.matchedRef,
          text: `${o.cause ?? ''}\n${o.mitigation ?? ''}`,
        })),
      }),
    }));
  const rated = judged.filter(({ j }) => j.rating !== 0 || j.confirmed);
  const priors = computePriors(
    rated.map(({ j }) => j),
    documentTitles(db),
  );
  const examples = await exampleRows(
    db,
    options.embedder,
    rated.filter(({ j }) => isWorkedExample(j)),
  );
  const previous = activeLearningRun(db);
  const before: LearnedPrior[] = previous ? (priorsOfRun(db, previous.id) as LearnedPrior[]) : [];
  const stats = {
    investigations: investigations.length,
    rated: rated.length,
    outcomes,
    examples: examples.length,
  };
  const runId = saveLearningRun(db, { createdAt: now.toISOString(), priors, examples, stats });
  pruneLearningRuns(db, LEARNING_DEFAULTS.keepRuns);
  return {
    runId,
    investigations: investigations.length,
    rated: rated.length,
    outcomes,
    priors: priors.length,
    examples: examples.length,
    changes: diffPriors(before, priors),
  };
}

async function exampleRows(
  db: Db,
  embedder: Embedder,
  good: readonly { result: InvestigationResult; channelId: string | null; j: Judgement }[],
): Promise<ExampleRow[]> {
  if (good.length === 0) return [];
  const spaceId = getEmbeddingSpace(db, {
    provider: embedder.provider,
    model: embedder.model,
    dimensions: embedder.dimensions,
  });
  const vectors = await embedder.embed(good.map(({ result }) => alertEmbeddingText(result.alert)));
  return good.map(({ result, channelId, j }, i) => ({
    investigationId: j.id,
    channelId,
    scope: j.scope,
    rating: j.rating,
    text: workedExample(result, j),
    spaceId,
    embedding: vectors[i]!,
  }));
}
