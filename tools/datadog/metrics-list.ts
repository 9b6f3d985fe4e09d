import { v1 } from '@datadog/datadog-api-client';
import { z } from 'zod';
import { defineTool, failure, type Tool } from '../contract';
import { isoMinute, resolveTime, TimeInput } from '../time';
import { appUrl, type DatadogConfig, datadogConfiguration, describeDatadogError } from './client';
import { type Companion, companionMetrics, metricTerms, scopeTags } from './companions';

export type MetricsListData = {
  /** The tag filter sent, e.g. `service:checkout AND env:prod`. */
  tagFilter: string;
  from: string;
  /** Every metric name reporting with those tags since `from`, sorted; at most MAX_NAMES. */
  metrics: string[];
  total: number;
  /** With a `query`: both sides of its ratio and its namespace's listed siblings, ready to query. */
  companions: Companion[];
};

const DEFAULT_SPAN_MS = 24 * 3_600_000;
/** Names kept in data: a service reports tens to hundreds; beyond this the tags are too broad. */
const MAX_NAMES = 300;
/** Namespaces listed in the summary text. */
const SHOWN_NAMESPACES = 30;

/** `trace.http.request: hits, errors, duration` — names grouped by namespace, for the summary. */
export function describeNamespaces(names: readonly string[]): string[] {
  const groups = new Map<string, string[]>();
  for (const n of names) {
    const cut = n.lastIndexOf('.');
    const ns = cut > 0 ? n.slice(0, cut) : n;
    groups.set(ns, [...(groups.get(ns) ?? []), cut > 0 ? n.slice(cut + 1) : n]);
  }
  const rows = [...groups.entries()].map(([ns, leaves]) => `- ${ns}: ${leaves.join(', ')}`);
  return rows.length > SHOWN_NAMESPACES
    ? [...rows.slice(0, SHOWN_NAMESPACES), `(${rows.length - SHOWN_NAMESPACES} more namespaces)`]
    : rows;
}

export function metricsListTool(cfg: DatadogConfig): Tool {
  return defineTool({
    name: 'datadog.metrics_list',
    integration: 'datadog',
    description:
      "List the metric names actively reporting with a service's tags (default since 24 hours before now), grouped by namespace. Give the alert's metric query too, and it proposes companion queries: both sides of a ratio and the metric's namespace siblings that really exist (traffic, errors, latency, pools, queues). Use it to find which metrics to read instead of guessing names.",
    input: z
      .object({
        service: z.string().optional().describe('Service whose metrics to list (adds service:<name>)'),
        tags: z
          .array(z.string().regex(/^[\w.\-/]+:\S+$/, 'expected key:value'))
          .optional()
          .describe('Tags every listed metric must carry, e.g. ["env:prod"]'),
        query: z
          .string()
          .optional()
          .describe("The alert's metric query: its scope's tags are used when no service or tags are given"),
        from: TimeInput.optional(),
      })
      .refine(
        (i) => i.service || i.tags?.length || i.query,
        'give a service, tags, or the alert metric query',
      ),
    async run({ service, tags, query, from }, ctx) {
      const scope = query ? metricTerms(query).flatMap(scopeTags) : [];
      const filterTags = [
        ...new Set([
          ...(service ? [`service:${service}`] : []),
          ...(tags ?? []),
          ...(service || tags?.length ? [] : scope),
        ]),
      ];
      if (filterTags.length === 0)
        return failure(`the query "${query}" pins no tags (like service:x); give a service or tags`);
      const tagFilter = filterTags.join(' AND ');
      const fromMs = resolveTime(from, ctx.now, ctx.now.getTime() - DEFAULT_SPAN_MS);
      try {
        const res = await new v1.MetricsApi(datadogConfiguration(cfg, ctx.signal)).listActiveMetrics({
          from: Math.floor(fromMs / 1000),
          tagFilter,
        });
        const all = [...new Set(res.metrics ?? [])].sort();
        const metrics = all.slice(0, MAX_NAMES);
        const companions = query ? companionMetrics(query, all) : [];
        const data: MetricsListData = {
          tagFilter,
          from: new Date(fromMs).toISOString(),
          metrics,
          total: all.length,
          companions,
        };
        const head =
          all.length === 0
            ? `No metrics reporting with ${tagFilter} since ${isoMinute(fromMs)} UTC (check the tag names).`
            : `${all.length} metrics reporting with ${tagFilter} since ${isoMinute(fromMs)} UTC, by namespace:\n${describeNamespaces(metrics).join('\n')}`;
        const companionText =
          companions.length > 0
            ? `\nCompanions of ${query}:\n${companions.map((c) => `- ${c.query} (${c.why.replace('_', ' ')})`).join('\n')}`
            : '';
        return {
          ok: true,
          summary: `${head}${companionText}`,
          data,
          citations: [
            {
              source: 'datadog',
              ref: `metrics:${tagFilter}`,
              title: `Metrics with ${tagFilter}`,
              url: `${appUrl(cfg)}/metric/summary`,
            },
          ],
          truncated: all.length > MAX_NAMES,
        };
      } catch (err) {
        return failure(describeDatadogError(err, `the metric list for ${tagFilter}`));
      }
    },
  });
}
