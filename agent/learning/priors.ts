import { LEARNING_DEFAULTS } from './defaults';
import type { Judgement } from './judge';
import { namesDocument } from './judge';
import { classWideScope, describeScope } from './scope';
import { calibrateWeights } from './weights';

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

const round = (n: number) => Math.round(n * 1000) / 1000;

/** A bounded, smoothed nudge: no evidence -> 0, lots of one-sided evidence -> ±bound. */
export function boundedNudge(positive: number, negative: number, bound: number): number {
  const n = positive + negative;
  return n === 0 ? 0 : (bound * (positive - negative)) / (n + LEARNING_DEFAULTS.smoothing);
}

function groupByScope(judgements: readonly Judgement[]): Map<string, Judgement[]> {
  const out = new Map<string, Judgement[]>();
  for (const j of judgements)
    for (const scope of new Set([j.scope, classWideScope(j.scope)]))
      out.set(scope, [...(out.get(scope) ?? []), j]);
  return out;
}

function toolPriors(scope: string, js: readonly Judgement[]): LearnedPrior[] {
  const good = js.filter((j) => j.citedTools.length > 0);
  const used = new Map<string, number>();
  const cited = new Map<string, number>();
  for (const j of good) {
    for (const t of j.usedTools) used.set(t, (used.get(t) ?? 0) + 1);
    for (const t of j.citedTools) cited.set(t, (cited.get(t) ?? 0) + 1);
  }
  return [...used].map(([tool, n]) => {
    const c = cited.get(tool) ?? 0;
    return {
      kind: 'tool' as const,
      scope,
      key: tool,
      value: round((c + 1) / (n + 2)),
      support: n,
      reason: `its evidence backed the answer in ${c} of ${n} well-rated investigations of ${describeScope(scope)}`,
    };
  });
}

function kindPriors(scope: string, js: readonly Judgement[]): LearnedPrior[] {
  const confirmed = new Map<string, number>();
  const wrong = new Map<string, number>();
  for (const j of js) {
    if (j.confirmed) confirmed.set(j.confirmed.kind, (confirmed.get(j.confirmed.kind) ?? 0) + 1);
    for (const w of j.wrong) wrong.set(w.kind, (wrong.get(w.kind) ?? 0) + 1);
  }
  return [...new Set([...confirmed.keys(), ...wrong.keys()])].map((kind) => {
    const c = confirmed.get(kind) ?? 0;
    const w = wrong.get(kind) ?? 0;
    return {
      kind: 'suspect_kind' as const,
      scope,
      key: kind,
      value: round(1 + boundedNudge(c, w, LEARNING_DEFAULTS.kindMultiplierBound)),
      support: c + w,
      reason: `${kind.replace('_', ' ')} was the confirmed cause ${c} time(s) and wrongly blamed ${w} time(s) in past ${describeScope(scope)}`,
    };
  });
}

function documentPriors(
  scope: string,
  js: readonly Judgement[],
  titles: ReadonlyMap<string, string>,
): LearnedPrior[] {
  const up = new Map<string, number>();
  const down = new Map<string, number>();
  const add = (m: Map<string, number>, id: string, n: number) => m.set(id, (m.get(id) ?? 0) + n);
  for (const j of js) {
    // The incident's own resolution naming a page is the strongest signal of which page helped;
    // pages the answer cited that the resolution did not use lose a little.
    const named = j.outcomeText ? [...titles].filter(([, title]) => namesDocument(j.outcomeText, title)) : [];
    if (named.length > 0) {
      for (const [id] of named) add(up, id, 2);
      for (const id of j.citedDocs) if (!named.some(([n]) => n === id)) add(down, id, 1);
      continue;
    }
    for (const id of j.citedDocs) {
      if (j.rating > 0) add(up, id, 1);
      if (j.rating < 0) add(down, id, 1);
    }
  }
  return [...new Set([...up.keys(), ...down.keys()])].map((id) => {
    const u = up.get(id) ?? 0;
    const d = down.get(id) ?? 0;
    return {
      kind: 'document' as const,
      scope,
      key: id,
      value: round(boundedNudge(u, d, LEARNING_DEFAULTS.documentBoostBound)),
      support: u + d,
      reason: `helped ${u} and did not help ${d} time(s) on past ${describeScope(scope)} (ratings of the answers citing it, and the pages incident resolutions name)`,
    };
  });
}

/** Pure: every prior, for each service scope and each class-wide scope. Zero-valued nudges are dropped. */
export function computePriors(
  judgements: readonly Judgement[],
  documentTitles: ReadonlyMap<string, string>,
): LearnedPrior[] {
  const out: LearnedPrior[] = [];
  for (const [scope, js] of groupByScope(judgements))
    out.push(
      ...toolPriors(scope, js),
      ...kindPriors(scope, js),
      ...documentPriors(scope, js, documentTitles),
    );
  out.push(...calibrateWeights(judgements));
  return out.filter(
    (p) => p.kind === 'tool' || p.kind === 'weight' || p.value !== (p.kind === 'suspect_kind' ? 1 : 0),
  );
}
