const BARS = '▁▂▃▄▅▆▇█';

/** A text sparkline: values resampled (by max, so spikes survive) into `width` cells. */
export function sparkline(values: readonly number[], width = 40): string {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return '';
  const cells = Math.min(width, finite.length);
  const buckets: number[] = [];
  for (let c = 0; c < cells; c++) {
    const from = Math.floor((c * finite.length) / cells);
    const to = Math.max(from + 1, Math.floor(((c + 1) * finite.length) / cells));
    buckets.push(Math.max(...finite.slice(from, to)));
  }
  const min = Math.min(...buckets);
  const max = Math.max(...buckets);
  if (max === min) return BARS[0]!.repeat(buckets.length);
  return buckets.map((v) => BARS[Math.round(((v - min) / (max - min)) * (BARS.length - 1))]).join('');
}
