import type { Db } from '../../data/db';
import type { Embedder } from '../../data/knowledge-store';
import { getEmbeddingSpace } from '../../data/knowledge-store';
import { activePriors, nearestExamples } from '../../data/learning';
import type { Alert } from '../alert';
import { alertService } from '../classify';
import { contextFrom, type LearnedContext } from './context';
import { LEARNING_DEFAULTS } from './defaults';
import { alertEmbeddingText, withinBudget } from './examples';
import { classWideScope, learningScope } from './scope';

/**
 * The active learning run's priors for this alert's scope (service + class, then class-wide),
 * and, when an embedder is given, the nearest well-rated worked examples.
 */
export async function loadLearnedContext(
  db: Db,
  alert: Alert,
  options: { embedder?: Embedder; knownServices?: readonly string[]; channelId?: string } = {},
): Promise<LearnedContext> {
  const { embedder } = options;
  const scope = learningScope(alert, alertService(alert, undefined, options.knownServices));
  // Weights are calibrated across every alert (scope '*'): confirmed changes are rare.
  const priors = activePriors(db, [scope, classWideScope(scope), '*']);
  let examples: string[] = [];
  if (embedder) {
    const spaceId = getEmbeddingSpace(db, {
      provider: embedder.provider,
      model: embedder.model,
      dimensions: embedder.dimensions,
    });
    const [vector] = await embedder.embed([alertEmbeddingText(alert)]);
    const { max, maxDistance } = LEARNING_DEFAULTS.examples;
    examples = withinBudget(
      nearestExamples(db, { spaceId, vector: vector!, channelId: options.channelId }, max, maxDistance).map(
        (e) => e.text,
      ),
    );
  }
  return contextFrom(scope, priors, examples);
}
