/** A learned retrieval nudge for one document, with the reason shown where it is used. */
export type DocumentBoost = { value: number; reason: string };

/**
 * Pure: hits re-ranked by learned document boosts (score x (1 + boost)), each boost explained.
 * Boosts are bounded when learned (agent/learning/defaults.ts), so relevance still leads.
 */
export function boostDocuments<T extends { id: string; score: number }>(
  hits: readonly T[],
  boosts: ReadonlyMap<string, DocumentBoost> | undefined,
): (T & { learned?: { boost: number; reason: string } })[] {
  if (!boosts || boosts.size === 0) return [...hits];
  return hits
    .map((h) => {
      const b = boosts.get(h.id);
      return b ? { ...h, score: h.score * (1 + b.value), learned: { boost: b.value, reason: b.reason } } : h;
    })
    .sort((a, b) => b.score - a.score);
}
