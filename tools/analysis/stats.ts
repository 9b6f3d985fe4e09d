/** Small robust statistics shared by onset detection and log-pattern novelty. Pure. */

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** Linear-interpolated quantile (q in [0, 1]); NaN for no values. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const at = (s.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return s[lo]! + (s[hi]! - s[lo]!) * (at - lo);
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length;
}

/** Median absolute deviation scaled to a normal standard deviation (0 for a flat series). */
export function madSigma(values: readonly number[]): number {
  const m = median(values);
  return median(values.map((v) => Math.abs(v - m))) * 1.4826;
}

/**
 * The 10th-90th percentile spread scaled to a standard deviation. It stays positive for
 * zero-inflated data (mostly 0, sometimes 1 or 2) where the MAD is 0.
 */
export function spreadSigma(values: readonly number[]): number {
  return (quantile(values, 0.9) - quantile(values, 0.1)) / 2.563;
}

function logChoose(n: number, k: number): number {
  let s = 0;
  for (let i = 1; i <= k; i++) s += Math.log(n - k + i) - Math.log(i);
  return s;
}

/** P(X >= k) for X ~ Binomial(n, p), summed in log space so large n neither overflows nor underflows. */
export function binomialUpperTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  // Each term follows from the last: C(n, i+1) / C(n, i) = (n - i) / (i + 1).
  const odds = Math.log(p) - Math.log(1 - p);
  let logTerm = logChoose(n, k) + k * Math.log(p) + (n - k) * Math.log(1 - p);
  let total = 0;
  for (let i = k; i <= n; i++) {
    const term = Math.exp(logTerm);
    total += term;
    if (term < total * 1e-12) break;
    logTerm += Math.log(n - i) - Math.log(i + 1) + odds;
  }
  return Math.min(1, total);
}
