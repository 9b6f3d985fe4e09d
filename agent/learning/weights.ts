import { DEFAULT_WEIGHTS } from '../offline/defaults';
import type { Weights } from '../offline/types';
import type { Suspect } from '../result';
import type { LearnedPrior } from './context';
import { LEARNING_DEFAULTS } from './defaults';
import type { Judgement } from './judge';

const FEATURES = ['time', 'service', 'overlap'] as const;
type Features = NonNullable<Suspect['features']>;

const dot = (w: Weights, f: Features) => w.time * f.time + w.service * f.service + w.overlap * f.overlap;

/**
 * Pure: the offline scorer's feature weights, calibrated on confirmed causes. For every confirmed
 * change and every other change of the same investigation that scored at least as high, the
 * weights move toward the confirmed one's features (a ranking perceptron). Each weight stays
 * within `weightBound` of its default and the weights keep their default sum, so the scorer's
 * scale (and the confidence thresholds) still hold. Needs `minSupport` confirmed changes.
 */
export function calibrateWeights(judgements: readonly Judgement[]): LearnedPrior[] {
  const cases = judgements.flatMap((j) => {
    const c = j.confirmed?.features;
    if (!c) return [];
    const others = j.suspects.filter((s) => s.ref !== j.confirmed!.ref && s.features).map((s) => s.features!);
    return others.length ? [{ confirmed: c, others }] : [];
  });
  if (cases.length < LEARNING_DEFAULTS.minSupport) return [];
  const total = FEATURES.reduce((a, k) => a + DEFAULT_WEIGHTS[k], 0);
  const bound = LEARNING_DEFAULTS.weightBound;
  let w: Weights = { ...DEFAULT_WEIGHTS };
  for (let epoch = 0; epoch < 25; epoch++) {
    const step = { time: 0, service: 0, overlap: 0 };
    let violations = 0;
    for (const { confirmed, others } of cases)
      for (const o of others)
        if (dot(w, o) >= dot(w, confirmed)) {
          violations += 1;
          for (const k of FEATURES) step[k] += confirmed[k] - o[k];
        }
    if (violations === 0) break;
    const next = { ...w };
    for (const k of FEATURES) {
      const d = DEFAULT_WEIGHTS[k];
      next[k] = Math.min(d * (1 + bound), Math.max(d * (1 - bound), w[k] + (0.05 * step[k]) / violations));
    }
    const sum = FEATURES.reduce((a, k) => a + next[k], 0);
    for (const k of FEATURES) next[k] = (next[k] * total) / sum;
    w = next;
  }
  return FEATURES.filter((k) => Math.abs(w[k] - DEFAULT_WEIGHTS[k]) >= 0.001).map((k) => ({
    kind: 'weight' as const,
    scope: '*',
    key: k,
    value: Math.round(w[k] * 1000) / 1000,
    support: cases.length,
    reason: `${k} weight ${DEFAULT_WEIGHTS[k]} -> ${Math.round(w[k] * 1000) / 1000}, calibrated on ${cases.length} confirmed changes`,
  }));
}

/** The learned weights (defaults for any not learned), or undefined when none were. */
export function learnedWeights(priors: ReadonlyMap<string, LearnedPrior>): Weights | undefined {
  if (priors.size === 0) return undefined;
  return {
    time: priors.get('time')?.value ?? DEFAULT_WEIGHTS.time,
    service: priors.get('service')?.value ?? DEFAULT_WEIGHTS.service,
    overlap: priors.get('overlap')?.value ?? DEFAULT_WEIGHTS.overlap,
  };
}
