import { LOG_PATTERN_DEFAULTS } from './defaults';
import { binomialUpperTail } from './stats';
import { partsOf } from './terms';

export { httpStatusCodes, isGatewayStatus } from './http-status';

/**
 * Clusters log messages into patterns by masking what varies between occurrences (numbers, ids,
 * hex, UUIDs, IPs, emails, quoted values, durations, `key=value` ids, prefixed ids like
 * `acct_6JD1QS`), so one error is one pattern; then says which patterns are new against a
 * baseline window: a real rate rise, not just absence from a short or quiet baseline.
 */

/** Keys whose values are identities, whatever they look like: `user=alice`, `orderId: 83412`, `x-request-id=abc`. */
const ID_KEYS = new Set(
  'id uuid guid user username account acct customer tenant org session req trace span order cart sku invoice'.split(
    ' ',
  ),
);

/** A token of letters and digits is random (an id) when they alternate often: `xe3ycjw5`, not `sha256` or `log4j`. */
function looksRandom(token: string): boolean {
  const digits = token.replace(/\D/g, '').length;
  if (digits < 2 || token.length - digits < 2) return false;
  let switches = 0;
  for (let i = 1; i < token.length; i++) if (/\d/.test(token[i]!) !== /\d/.test(token[i - 1]!)) switches += 1;
  return switches >= 3;
}

/** A segment after a name and `_`/`-` is an id when it has digits: `acct_6JD1QS`, `sh_xe3ycjw5`, `shard_17`; not `pool_v2`, `http_2xx`. */
const idSegment = (segment: string) => /^\d+$/.test(segment) || (segment.length >= 4 && /\d/.test(segment));

const MASKS: [RegExp, string | ((match: string, ...groups: string[]) => string)][] = [
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>'],
  [/\b[\w.+-]+@[\w-]+\.[\w.-]+\b/g, '<email>'],
  [/\b(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?\b/g, '<ip>'],
  [/\b0x[0-9a-f]+\b/gi, '<hex>'],
  [/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{7,}\b/gi, '<hex>'],
  [/\b\d+(?:\.\d+)?\s?(?:ms|s|sec|seconds|m|min|us|µs|ns)\b/gi, '<duration>'],
  [/"[^"]*"|'[^']{3,}'/g, '<str>'],
  [
    /\b([A-Za-z][\w.-]{0,40})([=:]) ?([^\s,;&)\]}'"<]{1,80})/g,
    (match, key, sep) =>
      ID_KEYS.has(partsOf(key!).at(-1)?.toLowerCase() ?? '') ? `${key}${sep}<id>` : match,
  ],
  [
    /\b[A-Za-z][A-Za-z0-9]*(?:[_-][A-Za-z0-9]+)+\b/g,
    (match) =>
      match
        .split(/([_-])/)
        .map((s, i) => (i > 0 && i % 2 === 0 && idSegment(s) ? '<id>' : s))
        .join(''),
  ],
  [/\b[A-Za-z0-9]{7,40}\b/g, (match) => (looksRandom(match) ? '<id>' : match)],
  [/\b(?=[A-Za-z_-]*\d)[A-Za-z0-9_-]{12,}\b/g, '<id>'],
  [/(?<=[=:#/])\s?-?\d+(?:\.\d+)?\b/g, '<num>'],
  [/\b-?\d+(?:\.\d+)?\b/g, '<num>'],
];

export function maskMessage(message: string): string {
  let out = message.slice(0, LOG_PATTERN_DEFAULTS.maxMaskedChars);
  for (const [re, token] of MASKS) out = out.replace(re, token as string);
  // Placeholders can be longer than what they replace (`""` becomes `<str>`): bound the pattern too.
  return out.replace(/\s+/g, ' ').trim().slice(0, LOG_PATTERN_DEFAULTS.maxMaskedChars);
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
  /** Its rate rose for real over the baseline window: see novelty(). */
  isNew: boolean;
  /** Chance of a count this high at the baseline's rate (two-sample Poisson test); 1 without a baseline window. */
  pValue: number;
  services: string[];
  hosts: string[];
  status: string;
  sample: string;
};

/** A pattern this many times more frequent (rate-adjusted) than in the baseline may count as new. */
export const NEW_RATIO = LOG_PATTERN_DEFAULTS.newPatternRateRatio;

export type Novelty = { isNew: boolean; pValue: number };

/**
 * Whether `count` lines in `windowMs` are a real rise over `baselineCount` in `baselineMs`.
 * Given both counts' total, the window's share is binomial with p = windowMs / (windowMs +
 * baselineMs) when the rate did not change: the p-value is its upper tail. New means improbable
 * (newPatternPValue), several times the rate (newPatternRateRatio) and not a handful of lines
 * (newPatternMinCount). Absence from a short baseline therefore proves little, as it should.
 */
export function novelty(count: number, baselineCount: number, windowMs: number, baselineMs: number): Novelty {
  const d = LOG_PATTERN_DEFAULTS;
  if (!(windowMs > 0) || !(baselineMs > 0) || count <= 0) return { isNew: false, pValue: 1 };
  const pValue = binomialUpperTail(count, count + baselineCount, windowMs / (windowMs + baselineMs));
  const risen =
    baselineCount === 0 || count / windowMs >= (d.newPatternRateRatio * baselineCount) / baselineMs;
  return {
    isNew: count >= d.newPatternMinCount && pValue <= d.newPatternPValue && risen,
    pValue: Number(pValue.toPrecision(3)),
  };
}

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
        pValue: 1,
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
  for (const g of groups.values())
    Object.assign(g, novelty(g.count, g.baselineCount, ratio.windowMs, ratio.baselineMs));
  return [...groups.values()].sort((a, b) => Number(b.isNew) - Number(a.isNew) || b.count - a.count);
}
