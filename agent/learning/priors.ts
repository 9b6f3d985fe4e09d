import type { LearnedPrior } from './context';
import { LEARNING_DEFAULTS } from './defaults';
import type { Judgement } from './judge';
import { namesDocument } from './judge';
import { classWideScope, describeScope } from './scope';
import { calibrateWeights } from './weights';

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

/** A tally of evidence for and against each key (a suspect kind, a document). */
type Tally = { up: Map<string, number>; down: Map<string, number> };

function tally(): Tally & { add(side: 'up' | 'down', key: string, n?: number): void } {
  const t = { up: new Map<string, number>(), down: new Map<string, number>() };
  return { ...t, add: (side, key, n = 1) => t[side].set(key, (t[side].get(key) ?? 0) + n) };
}

/** One bounded nudge per key of a tally, each with its reason. */
function nudges(
  t: Tally,
  make: (key: string, up: number, down: number) => Omit<LearnedPrior, 'key' | 'support'>,
): LearnedPrior[] {
  return [...new Set([...t.up.keys(), ...t.down.keys()])].map((key) => {
    const up = t.up.get(key) ?? 0;
    const down = t.down.get(key) ?? 0;
    return { ...make(key, up, down), key, support: up + down };
  });
}

function kindPriors(scope: string, js: readonly Judgement[]): LearnedPrior[] {
  const t = tally();
  for (const j of js) {
    if (j.confirmed) t.add('up', j.confirmed.kind);
    for (const w of j.wrong) t.add('down', w.kind);
  }
  return nudges(t, (kind, c, w) => ({
    kind: 'suspect_kind',
    scope,
    value: round(1 + boundedNudge(c, w, LEARNING_DEFAULTS.kindMultiplierBound)),
    reason: `${kind.replace('_', ' ')} was the confirmed cause ${c} time(s) and wrongly blamed ${w} time(s) in past ${describeScope(scope)}`,
  }));
}

function documentPriors(
  scope: string,
  js: readonly Judgement[],
  titles: ReadonlyMap<string, string>,
): LearnedPrior[] {
  const t = tally();
  for (const j of js) {
    // The incident's own resolution naming a page is the strongest signal of which page helped;
    // pages the answer cited that the resolution did not use lose a little.
    const named = j.outcomeText ? [...titles].filter(([, title]) => namesDocument(j.outcomeText, title)) : [];
    if (named.length > 0) {
      for (const [id] of named) t.add('up', id, 2);
      for (const id of j.citedDocs) if (!named.some(([n]) => n === id)) t.add('down', id);
      continue;
    }
    for (const id of j.citedDocs) {
      if (j.rating > 0) t.add('up', id);
      if (j.rating < 0) t.add('down', id);
    }
  }
  return nudges(t, (_id, u, d) => ({
    kind: 'document',
    scope,
    value: round(boundedNudge(u, d, LEARNING_DEFAULTS.documentBoostBound)),
    reason: `helped ${u} and did not help ${d} time(s) on past ${describeScope(scope)} (ratings of the answers citing it, and the pages incident resolutions name)`,
  }));
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
