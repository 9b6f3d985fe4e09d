/**
 * Clusters log messages into patterns by masking what varies between occurrences (numbers, ids,
 * hex, UUIDs, IPs, emails, quoted values, durations, paths' numeric segments), then says which
 * patterns are new against a baseline window.
 */
const MASKS: [RegExp, string][] = [
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>'],
  [/\b[\w.+-]+@[\w-]+\.[\w.-]+\b/g, '<email>'],
  [/\b(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?\b/g, '<ip>'],
  [/\b0x[0-9a-f]+\b/gi, '<hex>'],
  [/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{7,}\b/gi, '<hex>'],
  [/\b\d+(?:\.\d+)?\s?(?:ms|s|sec|seconds|m|min|us|µs|ns)\b/gi, '<duration>'],
  [/"[^"]*"|'[^']{3,}'/g, '<str>'],
  [/\b(?=[A-Za-z_-]*\d)[A-Za-z0-9_-]{12,}\b/g, '<id>'],
  [/(?<=[=:#/])\s?-?\d+(?:\.\d+)?\b/g, '<num>'],
  [/\b-?\d+(?:\.\d+)?\b/g, '<num>'],
];

export function maskMessage(message: string): string {
  let out = message.length > 600 ? message.slice(0, 600) : message;
  for (const [re, token] of MASKS) out = out.replace(re, token);
  return out.replace(/\s+/g, ' ').trim();
}

export type LogLine = {
  timestamp: string;
  message: string;
  service?: string;
  status?: string;
  host?: string;
};

export type LogPattern = {
  pattern: string;
  count: number;
  baselineCount: number;
  firstSeen: string;
  lastSeen: string;
  /** Absent from the baseline window (or rising at least NEW_RATIO-fold against it). */
  isNew: boolean;
  services: string[];
  hosts: string[];
  status: string;
  sample: string;
};

/** A pattern this many times more frequent (rate-adjusted) than in the baseline also counts as new. */
export const NEW_RATIO = 5;

/**
 * Groups `window` lines by masked pattern; `baseline` lines (an earlier window of length
 * `baselineMs`, versus `windowMs`) decide novelty. Sorted: new first, then by count.
 */
export function clusterLogs(
  window: readonly LogLine[],
  baseline: readonly LogLine[] = [],
  ratio: { windowMs: number; baselineMs: number } = { windowMs: 1, baselineMs: 1 },
): LogPattern[] {
  const base = new Map<string, number>();
  for (const l of baseline) {
    const p = maskMessage(l.message);
    base.set(p, (base.get(p) ?? 0) + 1);
  }
  const groups = new Map<string, LogPattern>();
  for (const l of window) {
    const p = maskMessage(l.message);
    let g = groups.get(p);
    if (!g) {
      g = {
        pattern: p,
        count: 0,
        baselineCount: base.get(p) ?? 0,
        firstSeen: l.timestamp,
        lastSeen: l.timestamp,
        isNew: false,
        services: [],
        hosts: [],
        status: l.status ?? 'info',
        sample: l.message.slice(0, 300),
      };
      groups.set(p, g);
    }
    g.count += 1;
    if (l.timestamp < g.firstSeen) g.firstSeen = l.timestamp;
    if (l.timestamp > g.lastSeen) g.lastSeen = l.timestamp;
    if (l.service && !g.services.includes(l.service)) g.services.push(l.service);
    if (l.host && g.hosts.length < 20 && !g.hosts.includes(l.host)) g.hosts.push(l.host);
  }
  const scale = ratio.baselineMs > 0 ? ratio.windowMs / ratio.baselineMs : 1;
  for (const g of groups.values()) {
    const expected = g.baselineCount * scale;
    g.isNew =
      g.baselineCount === 0
        ? g.count >= 2 || baseline.length > 0
        : g.count >= Math.max(5, expected * NEW_RATIO);
  }
  return [...groups.values()].sort((a, b) => Number(b.isNew) - Number(a.isNew) || b.count - a.count);
}
