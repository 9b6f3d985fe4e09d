import { v1 } from '@datadog/datadog-api-client';
import { z } from 'zod';
import { detectChangePoint, median, type Point } from '../analysis/change-point';
import { sparkline } from '../analysis/sparkline';
import { defineTool, failure, type Tool } from '../contract';
import { isoMinute, resolveWindow, TimeInput } from '../time';
import { appUrl, type DatadogConfig, datadogConfiguration, describeDatadogError } from './client';

export type MetricSeriesData = {
  scope: string;
  metric: string;
  points: [number, number][];
  onset?: {
    time: string;
    kind: 'shift' | 'spike';
    before: number;
    after: number;
    direction: 'up' | 'down';
    magnitude: number;
  };
  baseline: number;
  peak: number;
  peakTime?: string;
  last: number;
  unit?: string;
};
export type MetricsData = { query: string; from: string; to: string; series: MetricSeriesData[] };

const DEFAULT_SPAN_MS = 3 * 3_600_000;
const MAX_SERIES = 6;

function fmt(n: number): string {
  if (!Number.isFinite(n)) return 'n/a';
  return Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(2).replace(/\.?0+$/, '');
}

export function analyseSeries(metric: string, scope: string, points: Point[]): MetricSeriesData {
  const cp = detectChangePoint(points);
  const values = points.map((p) => p[1]);
  const baselineValues =
    cp?.kind === 'shift'
      ? values.slice(0, cp.index)
      : values.slice(0, Math.max(1, Math.floor(values.length * 0.6)));
  let peakIdx = 0;
  values.forEach((v, i) => {
    if (v > values[peakIdx]!) peakIdx = i;
  });
  return {
    scope,
    metric,
    points,
    onset: cp
      ? {
          time: new Date(cp.time).toISOString(),
          kind: cp.kind,
          before: cp.before,
          after: cp.after,
          direction: cp.direction,
          magnitude: Math.round(cp.magnitude * 10) / 10,
        }
      : undefined,
    baseline: median(baselineValues),
    peak: values[peakIdx] ?? Number.NaN,
    peakTime: points[peakIdx] ? new Date(points[peakIdx]![0]).toISOString() : undefined,
    last: values.at(-1) ?? Number.NaN,
  };
}

export function describeSeries(s: MetricSeriesData): string {
  const head = `${s.metric}{${s.scope}}: baseline ${fmt(s.baseline)}, peak ${fmt(s.peak)}${s.peakTime ? ` at ${isoMinute(Date.parse(s.peakTime))}` : ''}, last ${fmt(s.last)}`;
  const onset = s.onset
    ? s.onset.kind === 'shift'
      ? `\n  onset ${isoMinute(Date.parse(s.onset.time))} UTC: level ${s.onset.direction} ${fmt(s.onset.before)} -> ${fmt(s.onset.after)} (${s.onset.magnitude} sigma)`
      : `\n  single spike at ${isoMinute(Date.parse(s.onset.time))} UTC (${fmt(s.onset.after)} vs ${fmt(s.onset.before)}), no sustained change`
    : '\n  no significant change in the window';
  return `${head}${onset}\n  ${sparkline(
    s.points.map((p) => p[1]),
    48,
  )}`;
}

export function metricTools(cfg: DatadogConfig): Tool[] {
  return [
    defineTool({
      name: 'datadog.metrics',
      integration: 'datadog',
      description:
        'Query a DataDog metric over a window (default: the 3 hours before now). Returns, per series, the baseline, peak, the onset time found by change-point detection, and a sparkline. Use it to find WHEN the problem started and how big it is; add "by {tag}" to compare hosts, services or endpoints.',
      input: z.object({
        query: z
          .string()
          .min(3)
          .describe(
            'DataDog metric query, e.g. sum:trace.http.request.errors{service:checkout,env:prod} by {resource_name}',
          ),
        from: TimeInput.optional(),
        to: TimeInput.optional(),
      }),
      async run({ query, from, to }, ctx) {
        const w = resolveWindow({ from, to }, ctx.now, DEFAULT_SPAN_MS);
        try {
          const res = await new v1.MetricsApi(datadogConfiguration(cfg, ctx.signal)).queryMetrics({
            from: Math.floor(w.from / 1000),
            to: Math.floor(w.to / 1000),
            query,
          });
          const series = (res.series ?? []).map((s) =>
            analyseSeries(
              s.metric ?? query,
              s.scope ?? '*',
              (s.pointlist ?? [])
                .filter((p): p is [number, number] => p.length === 2 && p[0] != null && p[1] != null)
                .map((p) => [Number(p[0]), Number(p[1])]),
            ),
          );
          // The strongest changes first: they are what an investigator needs.
          series.sort((a, b) => (b.onset?.magnitude ?? 0) - (a.onset?.magnitude ?? 0));
          const shown = series.slice(0, MAX_SERIES);
          const data: MetricsData = {
            query,
            from: new Date(w.from).toISOString(),
            to: new Date(w.to).toISOString(),
            series: shown,
          };
          const link = `${appUrl(cfg)}/metric/explorer?from_ts=${w.from}&to_ts=${w.to}&exp_metric=${encodeURIComponent(query)}`;
          return {
            ok: true,
            summary:
              shown.length === 0
                ? `No data for ${query} between ${isoMinute(w.from)} and ${isoMinute(w.to)} UTC (check the metric name and tags).`
                : `${query} (${isoMinute(w.from)} to ${isoMinute(w.to)} UTC)\n${shown.map(describeSeries).join('\n')}`,
            data,
            citations: [{ source: 'datadog', ref: `metric:${query}`, title: `Metric ${query}`, url: link }],
            truncated: series.length > MAX_SERIES,
          };
        } catch (err) {
          return failure(describeDatadogError(err, `metric query "${query}"`));
        }
      },
    }),
  ];
}
