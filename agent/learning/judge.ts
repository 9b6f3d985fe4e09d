import { alertService } from '../classify';
import type { InvestigationResult, Suspect } from '../result';
import { tokensOf } from '../tokens';
import { LEARNING_DEFAULTS } from './defaults';
import { learningScope } from './scope';

/** Explicit feedback (not retracted) and linked incident outcomes of one investigation. */
export type FeedbackSignal = { kind: string; value: string };
export type OutcomeSignal = {
  matchedRank: number | null;
  matchedRef: string | null;
  text: string;
};
export type RatedInvestigation = {
  id: string;
  result: InvestigationResult;
  feedback: readonly FeedbackSignal[];
  outcomes: readonly OutcomeSignal[];
};

/** What the feedback says about one investigation, in the terms learning needs. */
export type Judgement = {
  id: string;
  scope: string;
  /** Net rating: helpful +1, not helpful -1, root cause confirmed +2, wrong -2. */
  rating: number;
  /** The suspect people (or the incident's resolution) confirmed, if any. */
  confirmed?: Suspect;
  /** Suspects named as the cause that were not it. */
  wrong: Suspect[];
  /** Tools whose evidence backed the credited suspect (the confirmed one, else the top one of a helpful answer). */
  citedTools: string[];
  usedTools: string[];
  /** Knowledge documents and past incidents the answer put forward. */
  citedDocs: string[];
  /** Text of resolved incidents linked to it (cause, mitigation), for crediting documents. */
  outcomeText: string;
  /** Every suspect as ranked, with its scoring features when the offline scorer made it. */
  suspects: readonly Suspect[];
};

const W = LEARNING_DEFAULTS.weights;

/** Pure: reduces feedback rows and incident outcomes to one judgement. */
export function judge(inv: RatedInvestigation): Judgement {
  const { summary } = inv.result;
  const top = summary.suspects[0];
  const byRef = (ref: string) => summary.suspects.find((s) => s.ref === ref);
  let rating = 0;
  let confirmed: Suspect | undefined;
  const wrong = new Set<Suspect>();
  for (const f of inv.feedback) {
    if (f.kind === 'rating')
      rating += f.value === 'helpful' ? W.helpful : f.value === 'not_helpful' ? W.notHelpful : 0;
    if (f.kind !== 'root_cause' || !top) continue;
    if (f.value === 'confirmed') {
      rating += W.confirmed;
      confirmed = top;
    } else if (f.value === 'wrong') {
      rating += W.wrong;
      wrong.add(top);
    } else if (f.value.startsWith('actual:')) {
      const named = byRef(f.value.slice('actual:'.length));
      if (named === top) {
        rating += W.confirmed;
        confirmed = top;
      } else {
        rating += W.wrong;
        wrong.add(top);
        if (named) confirmed = named;
      }
    }
  }
  for (const o of inv.outcomes) {
    if (!top || o.matchedRank === null) continue;
    const named = o.matchedRef ? byRef(o.matchedRef) : summary.suspects[o.matchedRank - 1];
    if (o.matchedRank === 1) {
      rating += W.confirmed;
      confirmed ??= top;
    } else {
      rating += W.wrong;
      wrong.add(top);
      confirmed ??= named;
    }
  }
  if (confirmed) wrong.delete(confirmed);
  const credited = confirmed ?? (rating > 0 ? top : undefined);
  const toolOf = new Map(inv.result.evidence.map((e) => [e.id, e.tool]));
  const citedTools = [
    ...new Set((credited?.evidence ?? []).map((id) => toolOf.get(id)).filter(Boolean)),
  ] as string[];
  if (credited && summary.runbooks.length > 0) citedTools.push('knowledge.search');
  if (
    credited &&
    summary.similarIncidents.length > 0 &&
    inv.result.evidence.some((e) => e.tool === 'rootly.incidents')
  )
    citedTools.push('rootly.incidents');
  return {
    id: inv.id,
    // A text alert names no service field: the service the investigation found stands in.
    scope: learningScope(inv.result.alert, alertService(inv.result.alert) ?? top?.service),
    rating,
    confirmed,
    wrong: [...wrong],
    citedTools: [...new Set(citedTools)],
    usedTools: [...new Set(inv.result.steps.flatMap((s) => s.actions.map((a) => a.tool)))],
    citedDocs: [...summary.runbooks, ...summary.similarIncidents].map((d) => d.id),
    outcomeText: inv.outcomes.map((o) => o.text).join('\n'),
    suspects: summary.suspects,
  };
}

/** 1-based rank of the first suspect an incident's cause or mitigation names, or null. */
export function matchCause(text: string, suspects: readonly Suspect[]): number | null {
  const lower = text.toLowerCase();
  const words = tokensOf(text);
  const index = suspects.findIndex((s) => {
    const ref = s.ref.toLowerCase();
    if (s.kind === 'commit' && ref.length >= 7 && lower.includes(ref.slice(0, 7))) return true;
    if (s.kind === 'pull_request') {
      const n = /#(\d+)$/.exec(ref)?.[1];
      if (n && new RegExp(`(?:pr|pull request|#)\\s*#?${n}\\b`).test(lower)) return true;
    }
    if (ref.length >= 4 && lower.includes(ref)) return true;
    // Long refs (config changes are named by their title): most of their distinctive words.
    const own = [...tokensOf(s.ref)];
    return own.length >= 3 && own.filter((w) => words.has(w)).length / own.length >= 0.6;
  });
  return index < 0 ? null : index + 1;
}

/** True when a text names a document: at least two thirds (and two) of its title's distinctive words. */
export function namesDocument(text: string, title: string): boolean {
  const words = tokensOf(text);
  const own = [...tokensOf(title)];
  const hits = own.filter((w) => words.has(w)).length;
  return own.length >= 2 && hits >= 2 && hits / own.length >= 2 / 3;
}
