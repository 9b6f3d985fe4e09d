/** What every benchmark file default-exports: an async function returning its measurements. */
export type BenchResult = {
  name: string;
  metric: string;
  value: number;
  unit: string;
  /** The comparison measured side by side in the same run, when there is one. */
  baseline?: number;
  ratio?: number;
};

export type Benchmark = () => Promise<BenchResult[]>;

/** Times `fn` over `iterations` runs after a warm-up; returns per-run milliseconds, sorted. */
export async function sample(fn: () => unknown, iterations: number, warmup = 3): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b);
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
