/** Parses DataDog metric queries the sandbox answers: `aggr:metric{tag:v,!tag:w} by {tag}` (+ suffixes). */
export type MetricQuery = {
  aggregator: 'avg' | 'sum' | 'min' | 'max';
  metric: string;
  filters: string[];
  excludes: string[];
  groupBy: string[];
};

export function parseMetricQuery(raw: string): MetricQuery {
  // Monitor queries wrap the metric query: `sum(last_5m):sum:m{...}.as_count() > 100`.
  let q = raw
    .trim()
    .replace(/^\w+\(last_\w+\):/, '')
    .replace(/\s*[<>]=?\s*-?[\d.]+\s*$/, '');
  q = q.replace(/(\.(as_count|as_rate|rollup|fill|by)\([^)]*\))+/g, '');
  const m = /^(?:(avg|sum|min|max):)?([\w.]+)\s*\{([^}]*)\}(?:\s*by\s*\{([^}]*)\})?/.exec(q);
  if (!m) throw new Error(`cannot parse metric query "${raw}": expected aggr:metric{tag:value} [by {tag}]`);
  const tags = (m[3] ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t && t !== '*');
  return {
    aggregator: (m[1] as MetricQuery['aggregator']) ?? 'avg',
    metric: m[2]!,
    filters: tags.filter((t) => !t.startsWith('!')),
    excludes: tags.filter((t) => t.startsWith('!')).map((t) => t.slice(1)),
    groupBy: (m[4] ?? '')
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean),
  };
}

export function aggregate(values: number[], aggregator: MetricQuery['aggregator']): number {
  switch (aggregator) {
    case 'sum':
      return values.reduce((a, b) => a + b, 0);
    case 'min':
      return Math.min(...values);
    case 'max':
      return Math.max(...values);
    default:
      return values.reduce((a, b) => a + b, 0) / values.length;
  }
}
