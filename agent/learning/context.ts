import { describeScope } from './scope';

export type PriorKind = 'tool' | 'suspect_kind' | 'document' | 'weight';
/**
 * One learned number with the reason a person reads where it is used.
 * tool: 0..1, how often its evidence backed a good answer when it ran;
 * suspect_kind: a score multiplier within 1 ± kindMultiplierBound;
 * document: a retrieval boost within ± documentBoostBound.
 */
export type LearnedPrior = {
  kind: PriorKind;
  scope: string;
  key: string;
  value: number;
  support: number;
  reason: string;
};

/** What an investigation gets from learning: the active priors for its scope, and worked examples. */
export type LearnedContext = {
  scope: string;
  tools: ReadonlyMap<string, LearnedPrior>;
  kinds: ReadonlyMap<string, LearnedPrior>;
  documents: ReadonlyMap<string, LearnedPrior>;
  /** Calibrated offline scoring weights (time, service, overlap), learned across all alerts. */
  weights: ReadonlyMap<string, LearnedPrior>;
  examples: readonly string[];
};

export const NOTHING_LEARNED: LearnedContext = {
  scope: '*|other',
  tools: new Map(),
  kinds: new Map(),
  documents: new Map(),
  weights: new Map(),
  examples: [],
};

/** Pure: the service scope's priors win over the class-wide ones, key by key. */
export function contextFrom(
  scope: string,
  priors: readonly LearnedPrior[],
  examples: readonly string[] = [],
): LearnedContext {
  const pick = (kind: LearnedPrior['kind']) => {
    const out = new Map<string, LearnedPrior>();
    for (const p of priors.filter((x) => x.kind === kind && x.scope !== scope)) out.set(p.key, p);
    for (const p of priors.filter((x) => x.kind === kind && x.scope === scope)) out.set(p.key, p);
    return out;
  };
  return {
    scope,
    tools: pick('tool'),
    kinds: pick('suspect_kind'),
    documents: pick('document'),
    weights: pick('weight'),
    examples,
  };
}

/** The learned part of the LLM prompt: which tools settled similar alerts, which causes held up. */
export function learnedHintText(ctx: LearnedContext): string | undefined {
  const tools = [...ctx.tools.values()].sort((a, b) => b.value - a.value);
  const kinds = [...ctx.kinds.values()].sort((a, b) => b.value - a.value);
  if (tools.length === 0 && kinds.length === 0) return undefined;
  const lines = [`Learned from rated past investigations of ${describeScope(ctx.scope)} (hints, not rules):`];
  const useful = tools.filter((t) => t.value >= 0.5).slice(0, 5);
  const weak = tools.filter((t) => t.value < 0.5 && t.support >= 2).slice(-3);
  if (useful.length) lines.push(`- Start with: ${useful.map((t) => `${t.key} (${t.reason})`).join('; ')}.`);
  if (weak.length) lines.push(`- Rarely decisive: ${weak.map((t) => `${t.key} (${t.reason})`).join('; ')}.`);
  for (const k of kinds) lines.push(`- ${k.reason}.`);
  return lines.join('\n');
}
