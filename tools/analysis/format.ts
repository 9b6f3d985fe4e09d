/** Compact numbers for summaries: whole numbers from 100 up, two decimals below, "n/a" for none. */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return 'n/a';
  if (Math.abs(n) >= 1e6) return n.toExponential(2).replace('e+', 'e');
  return Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(2).replace(/\.?0+$/, '');
}

/** HH:MM of an epoch-ms time, in UTC. */
export function clock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 16);
}

export function minutes(ms: number): number {
  return Math.round(ms / 60_000);
}
