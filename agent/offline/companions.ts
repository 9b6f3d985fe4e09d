import { metricTerms, termQuery } from '../../tools/datadog/companions';
import type { MetricsListData } from '../../tools/datadog/metrics-list';
import { COMPANION_METRICS } from '../../tools/defaults';

/**
 * Which metrics to read beside the alert's own (issue 13.7): nothing here names a metric. They
 * come from the service's metric listing: both halves of a ratio and the alert metric's
 * namespace siblings (the listing proposes those), the service's request traffic, errors and
 * latency in whatever APM namespace it reports under, and resources reported as a used/limit
 * pair (a pool, replicas, a quota), which show saturation.
 */

/** Leaf names of a resource's usage and of its limit, as instrumentation libraries spell them. */
const USED = /\.(?:used|in_use|active|current|current_replicas|busy|size|count)$/;
const LIMIT = /\.(?:max|limit|max_replicas|capacity|max_size|total)$/;

export function companionQueries(
  listing: MetricsListData | undefined,
  service: string,
  alertQuery: string | undefined,
  max: number,
): string[] {
  const out: string[] = [];
  // A metric already read (the alert's own, or a half of its ratio in the alert's scope) is not
  // read again in a wider scope: the same series says nothing new. A ratio's halves are new: the
  // alert query returns only their ratio.
  const metricsOf = (q: string | undefined) => (q ? metricTerms(q).map((t) => t.metric) : []);
  const alertMetrics = metricsOf(alertQuery);
  const read = new Set(alertMetrics.length === 1 ? alertMetrics : []);
  const add = (q: string) => {
    const metrics = metricsOf(q);
    if (q === alertQuery || out.includes(q)) return;
    if (metrics.length > 0 && metrics.every((m) => read.has(m))) return;
    out.push(q);
    for (const m of metrics) read.add(m);
  };
  const proposed = listing?.companions ?? [];
  for (const c of proposed) if (c.why === 'ratio_term') add(c.query);
  const names = listing?.metrics ?? [];
  const scope = `service:${service}`;
  // The namespace that carries the service's conventional request metrics (hits, errors, duration).
  const roles = COMPANION_METRICS.conventionalSiblings;
  const namespaces = new Map<string, number>();
  for (const n of names)
    for (const r of roles)
      if (n.endsWith(`.${r.suffix}`)) {
        const ns = n.slice(0, -r.suffix.length - 1);
        namespaces.set(ns, (namespaces.get(ns) ?? 0) + 1);
      }
  const apm = [...namespaces].sort((a, b) => b[1] - a[1] || a[0].length - b[0].length)[0]?.[0];
  if (apm)
    for (const r of roles)
      if (names.includes(`${apm}.${r.suffix}`))
        add(`${r.aggregator}:${apm}.${r.suffix}{${scope}}${r.asCount ? '.as_count()' : ''}`);
  for (const n of names) {
    if (!USED.test(n)) continue;
    const base = n.replace(USED, '');
    const limit = names.find((m) => m !== n && LIMIT.test(m) && m.replace(LIMIT, '') === base);
    if (!limit) continue;
    add(`max:${n}{${scope}}`);
    add(`max:${limit}{${scope}}`);
  }
  for (const c of proposed) if (c.why !== 'ratio_term') add(c.query);
  return out.slice(0, max);
}

/**
 * Tags the alert's own metric is split by, to see where the rise is: one host, one zone or one
 * version carrying it points at a bad host, a bad zone or a partial rollout. These are the tags
 * DataDog's agent and unified service tagging put on every APM and host metric.
 */
export const SPLIT_TAGS = ['host', 'availability-zone', 'version'] as const;
export type SplitTag = (typeof SPLIT_TAGS)[number];

/** The alert query split by `tag`, when it is a single metric without its own grouping. */
export function splitQuery(alertQuery: string, tag: SplitTag): string | undefined {
  const terms = metricTerms(alertQuery);
  if (terms.length !== 1 || terms[0]!.groupBy) return undefined;
  return termQuery({ ...terms[0]!, groupBy: ` by {${tag}}` });
}

/** Which split a metric query is, if any. */
export function splitTagOf(query: string): SplitTag | undefined {
  const m = /\sby\s*\{([\w.-]+)\}/.exec(query);
  return SPLIT_TAGS.find((t) => t === m?.[1]);
}
