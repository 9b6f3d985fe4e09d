import { v1 } from '@datadog/datadog-api-client';
import { z } from 'zod';
import { detectChangePoint, median, type Point } from '../analysis/change-point';
import { formatNumber as fmt } from '../analysis/format';
import { detectOnset, type OnsetConfidence } from '../analysis/onset';
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
    /** How a shift's time was found: at a step, or walked back through a ramp to its first departed point. */
    method?: 'change-point' | 'first-departure';
    confidence?: OnsetConfidence;
    /** The middle of the change (the step itself, or half way up a ramp). */
    changeAt?: string;
    /** When the series came back to its baseline, if it did within the window. */
    recoveredAt?: string;
    /** The series stopped reporting at `time` (no points since). */
    stopped?: boolean;
    detail?: string;
  };
  /** Why no onset is claimed when there is none (for example "not enough baseline"). */
  onsetNote?: string;
  baseline: number;
  peak: number;
  peakTime?: string;
  last: number;
  unit?: string;
};
export type MetricsData = { query: string; from: string; to: string; series: MetricSeriesData[] };

const DEFAULT_SPAN_MS = 3 * 3_600_000;
const MAX_SERIES = 6;

/** Per series: its onset (see analysis/onset.ts), baseline, peak and last value. `windowEnd` spots a series that stopped reporting. */
export function analyseSeries(
  metric: string,
  scope: string,
  points: Point[],
  windowEnd?: number,
): MetricSeriesData {
  const found = detectOnset(points, { windowEnd });
  const shift = found.change;
  const spike = shift ? null : detectChangePoint(points);
  const values = points.map((p) => p[1]);
  const baseline = shift
    ? shift.before
    : median(values.slice(0, Math.max(1, Math.floor(values.length * 0.6))));
  let peakIdx = 0;
  values.forEach((v, i) => {
    if (v > values[peakIdx]!) peakIdx = i;
  });
  const iso = (ms: number) => new Date(ms).toISOString();
  const round1 = (n: number) => Math.round(n * 10) / 10;
  return {
    scope,
    metric,
    points,
    onset: shift
      ? {
          time: iso(shift.startAt),
          kind: 'shift',
          before: shift.before,
          after: shift.after,
          direction: shift.direction,
          magnitude: round1(shift.magnitude),
          method: found.method === 'first-departure' ? 'first-departure' : 'change-point',
          confidence: found.confidence,
          changeAt: iso(shift.middleAt),
          ...(shift.recovered ? { recoveredAt: iso(shift.endAt) } : {}),
          ...(shift.stopped ? { stopped: true } : {}),
          detail: found.detail,
        }
      : spike
        ? {
            time: iso(spike.time),
            kind: 'spike',
            before: spike.before,
            after: spike.after,
            direction: spike.direction,
            magnitude: round1(spike.magnitude),
          }
        : undefined,
    ...(shift ? {} : { onsetNote: found.detail }),
    baseline,
    peak: values[peakIdx] ?? Number.NaN,
    peakTime: points[peakIdx] ? iso(points[peakIdx]![0]) : undefined,
    last: values.at(-1) ?? Number.NaN,
  };
}

export function describeSeries(s: MetricSeriesData): string {
  const head = `${s.metric}{${s.scope}}: baseline ${fmt(s.baseline)}, peak ${fmt(s.peak)}${s.peakTime ? ` at ${isoMinute(Date.parse(s.peakTime))}` : ''}, last ${fmt(s.last)}`;
  const onset = s.onset
    ? s.onset.kind === 'shift'
      ? `\n  onset ${isoMinute(Date.parse(s.onset.time))} UTC (${s.onset.method ?? 'change-point'}, ${s.onset.confidence ?? 'medium'} confidence): ${s.onset.detail ?? `level ${s.onset.direction} ${fmt(s.onset.before)} -> ${fmt(s.onset.after)} (${s.onset.magnitude} sigma)`}`
      : `\n  single spike at ${isoMinute(Date.parse(s.onset.time))} UTC (${fmt(s.onset.after)} vs ${fmt(s.onset.before)}), no sustained change`
    : `\n  no onset: ${s.onsetNote ?? 'no significant change in the window'}`;
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
              w.to,
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
