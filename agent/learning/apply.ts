import type { ToolCall } from '../state';
import type { LearnedContext } from './context';
import { LEARNING_DEFAULTS } from './defaults';

/** Neutral prior for a tool with no history. */
const NEUTRAL = 0.5;

/** Pure: items in order of their tool's prior, highest first; ties keep their order. */
export function sortByToolPrior<T>(
  items: readonly T[],
  toolOf: (item: T) => string,
  ctx: LearnedContext,
): T[] {
  const prior = (tool: string) => ctx.tools.get(tool)?.value ?? NEUTRAL;
  return items
    .map((item, i) => ({ item, i, p: prior(toolOf(item)) }))
    .sort((a, b) => b.p - a.p || a.i - b.i)
    .map((x) => x.item);
}

/**
 * Pure: the offline planner's learned tool order and budget for one turn. Calls are ordered by
 * tool prior (stable otherwise); a tool whose evidence rarely backed good answers, with enough
 * history, keeps only its first call. Returns what changed, for the step's thought.
 */
export function planWithPriors(
  calls: readonly ToolCall[],
  ctx: LearnedContext,
): { calls: ToolCall[]; notes: string[] } {
  if (ctx.tools.size === 0) return { calls: [...calls], notes: [] };
  const seen = new Set<string>();
  const dropped = new Map<string, number>();
  const kept = calls.filter((c) => {
    const p = ctx.tools.get(c.tool);
    const low = p && p.value < LEARNING_DEFAULTS.lowToolPrior && p.support >= LEARNING_DEFAULTS.minSupport;
    if (low && seen.has(c.tool)) {
      dropped.set(c.tool, (dropped.get(c.tool) ?? 0) + 1);
      return false;
    }
    seen.add(c.tool);
    return true;
  });
  const ordered = sortByToolPrior(kept, (c) => c.tool, ctx);
  const notes: string[] = [];
  if (ordered.some((c, i) => c !== kept[i])) {
    const lead = [...new Set(ordered.map((c) => c.tool))].slice(0, 3);
    notes.push(
      `Learned order: ${lead.map((t) => `${t} first (${ctx.tools.get(t)?.reason ?? 'no history'})`)[0]}.`,
    );
  }
  for (const [tool, n] of dropped)
    notes.push(`Learned budget: ${n} more ${tool} call(s) skipped (${ctx.tools.get(tool)!.reason}).`);
  return { calls: ordered, notes };
}

/** Pure: suspect scores times the learned multiplier of their kind, re-ranked, with the reason attached. */
export function calibrateSuspects<T extends { kind: string; score: number; reasons: string[] }>(
  suspects: readonly T[],
  ctx: LearnedContext,
): T[] {
  if (ctx.kinds.size === 0) return [...suspects];
  return suspects
    .map((s) => {
      const p = ctx.kinds.get(s.kind);
      if (!p) return s;
      const score = Math.round(Math.min(1, s.score * p.value) * 1000) / 1000;
      return { ...s, score, reasons: [...s.reasons, `learned ×${p.value}: ${p.reason}`] };
    })
    .sort((a, b) => b.score - a.score);
}
