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
 * The tags DataDog puts on a client call's metrics to name what was called (APM peer tags). A
 * service's outbound-call error count split by them shows which remote started failing, even
 * when the errors themselves name none (`.NET: Response status code does not indicate success`).
 */
export const PEER_TAGS = ['peer.service', 'peer.hostname', 'out.host'] as const;

/** A metric of outbound calls (a client's, a downstream's) that counts failures. */
const OUTBOUND = /(?:^|[._])(?:client|clients|outbound|downstream|egress)(?:[._]|$)/;
const FAILURES = /\.(?:errors?|failures?|failed|5xx)$/;

/** The service's outbound-call errors split by peer, when its listing has such a metric. */
export function peerCallQuery(listing: MetricsListData | undefined, service: string): string | undefined {
  const metric = (listing?.metrics ?? []).find((n) => OUTBOUND.test(n) && FAILURES.test(n));
  return metric ? `sum:${metric}{service:${service}}.as_count() by {${PEER_TAGS.join(',')}}` : undefined;
}

/** Whether a metric query is a split by peer tags (a peerCallQuery). */
export function isPeerSplit(query: string): boolean {
  const m = /\sby\s*\{([^}]+)\}/.exec(query);
  return !!m && m[1]!.split(',').some((t) => (PEER_TAGS as readonly string[]).includes(t.trim()));
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
