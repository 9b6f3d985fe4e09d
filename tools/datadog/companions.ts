import { COMPANION_METRICS } from '../defaults';

/**
 * Pure: the metric queries inside a monitor or alert query, and the companion metrics they
 * imply — both sides of a ratio, and the siblings in the metric's namespace (its traffic,
 * failures and latency) — so no metric name has to be written into the investigator.
 */
export type MetricTerm = {
  aggregator?: string;
  metric: string;
  /** The tag scope inside the braces, as written (`service:checkout,env:prod`, or `*`). */
  scope: string;
  /** ` by {resource_name}`, as written, or empty. */
  groupBy: string;
  /** Functions applied after the scope, e.g. `.as_count()`. */
  functions: string;
};

export type Companion = {
  query: string;
  metric: string;
  why: 'ratio_term' | 'namespace_sibling';
};

const TERM = /(?:\b([a-z]\w*):)?([A-Za-z_][\w.]*)\s*\{([^}]*)\}((?:\s*by\s*\{[^}]*\}|\.\w+\([^)]*\))*)/g;

/** The metric queries a monitor query is built from (`sum(last_5m):a{..}.as_count() / b{..} > 1`). */
export function metricTerms(query: string): MetricTerm[] {
  const body = query.replace(/^\s*\w+\(last_\w+\):/, '');
  return [...body.matchAll(TERM)].map((m) => {
    const suffix = m[4] ?? '';
    return {
      aggregator: m[1],
      metric: m[2]!,
      scope: m[3]!.trim() || '*',
      groupBy: /\s*by\s*\{[^}]*\}/.exec(suffix)?.[0].replace(/^\s*/, ' ') ?? '',
      functions: [...suffix.matchAll(/\.\w+\([^)]*\)/g)].map((f) => f[0]).join(''),
    };
  });
}

export function termQuery(t: MetricTerm): string {
  return `${t.aggregator ? `${t.aggregator}:` : ''}${t.metric}{${t.scope}}${t.groupBy}${t.functions}`;
}

/** The tags a term's scope pins (not negated, no wildcard, no template variable). */
export function scopeTags(t: MetricTerm): string[] {
  return t.scope
    .split(',')
    .map((s) => s.trim())
    .filter((s) => /^[\w.-]+:[^*$!\s]+$/.test(s));
}

const namespaceOf = (metric: string) => metric.slice(0, Math.max(0, metric.lastIndexOf('.')));

/**
 * The listed metrics that share the nearest namespace with `metric`: its parent's other
 * descendants, else its grandparent's, and so on, never above COMPANION_METRICS.minNamespaceSegments
 * (`trace.http.request.duration.by.service.95p` finds `trace.http.request.hits`).
 */
export function listedSiblings(
  metric: string,
  listed: readonly string[],
): { namespace: string; names: string[] } {
  const parts = metric.split('.');
  for (let depth = parts.length - 1; depth >= COMPANION_METRICS.minNamespaceSegments; depth--) {
    const namespace = parts.slice(0, depth).join('.');
    const names = listed.filter((n) => n !== metric && n.startsWith(`${namespace}.`));
    if (names.length > 0) return { namespace, names };
  }
  return { namespace: namespaceOf(metric), names: [] };
}

/**
 * Companion queries for an alert's query. Both sides of a ratio (`errors / hits`) are worth
 * reading apart: a ratio rises when errors rise or when traffic falls. Then the namespace's
 * siblings in the same scope: from `listed` (a metric listing) when given, else, for a metric
 * named by the convention, the conventional siblings (COMPANION_METRICS). A sibling in a
 * conventional role gets that role's aggregation; any other is averaged, which is right for
 * gauges and percentiles and never sums a percentile across hosts. At most COMPANION_METRICS.max,
 * ratio sides first, then conventional roles, then the nearest names.
 */
export function companionMetrics(monitorQuery: string, listed?: readonly string[]): Companion[] {
  const terms = metricTerms(monitorQuery);
  const out: Companion[] = [];
  const seen = new Set<string>();
  const add = (query: string, metric: string, why: Companion['why']) => {
    if (seen.has(query)) return;
    seen.add(query);
    out.push({ query, metric, why });
  };
  const own = new Set(terms.map((t) => t.metric));
  if (terms.length >= 2) for (const t of terms) add(termQuery(t), t.metric, 'ratio_term');
  const conventional = COMPANION_METRICS.conventionalSiblings;
  for (const t of terms) {
    const found = listed
      ? listedSiblings(t.metric, listed)
      : { namespace: namespaceOf(t.metric), names: [] as string[] };
    const ns = found.namespace;
    const roleOf = (name: string) => conventional.find((c) => name === `${ns}.${c.suffix}`);
    // Without a listing, guess siblings only for a metric that itself follows the convention.
    const names = listed ? found.names : roleOf(t.metric) ? conventional.map((c) => `${ns}.${c.suffix}`) : [];
    const ranked = names
      .filter((n) => !own.has(n))
      .map((n, order) => ({ n, order, role: roleOf(n), depth: n.split('.').length }))
      .sort((a, b) => Number(!a.role) - Number(!b.role) || a.depth - b.depth || a.order - b.order);
    for (const { n, role } of ranked) {
      const sibling: MetricTerm = role
        ? { ...t, metric: n, aggregator: role.aggregator, functions: role.asCount ? '.as_count()' : '' }
        : { ...t, metric: n, aggregator: 'avg', functions: '' };
      add(termQuery(sibling), n, 'namespace_sibling');
    }
  }
  return out.slice(0, COMPANION_METRICS.max);
}
