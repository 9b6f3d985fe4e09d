import { v2 } from '@datadog/datadog-api-client';
import { z } from 'zod';
import { maskMessage } from '../analysis/log-patterns';
import { defineTool, failure, type Tool } from '../contract';
import { isoMinute, resolveWindow, TimeInput } from '../time';
import { appUrl, type DatadogConfig, datadogConfiguration, describeDatadogError } from './client';

export type SpanRow = {
  time: string;
  service: string;
  resource: string;
  durationMs: number;
  error: boolean;
  errorType?: string;
  errorMessage?: string;
};
export type ErrorGroup = {
  service: string;
  resource: string;
  errorType: string;
  message: string;
  count: number;
  baselineCount: number;
  firstSeen: string;
};
export type SlowResource = {
  service: string;
  resource: string;
  p95Ms: number;
  baselineP95Ms: number;
  count: number;
};
export type SpansData = {
  query: string;
  from: string;
  to: string;
  total: number;
  errors: ErrorGroup[];
  slowest: SlowResource[];
};

const DEFAULT_SPAN_MS = 3_600_000;
const MAX_SPANS = 5_000;

function p95(values: number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.95))]!;
}

/** Pure: error spans grouped by resource and error type, and resources ranked by p95 growth. */
export function summariseSpans(
  window: SpanRow[],
  baseline: SpanRow[],
): { errors: ErrorGroup[]; slowest: SlowResource[] } {
  const groups = new Map<string, ErrorGroup>();
  const key = (s: SpanRow) =>
    `${s.service}|${s.resource}|${s.errorType ?? 'Error'}|${maskMessage(s.errorMessage ?? '')}`;
  const baseCounts = new Map<string, number>();
  for (const s of baseline) if (s.error) baseCounts.set(key(s), (baseCounts.get(key(s)) ?? 0) + 1);
  for (const s of window) {
    if (!s.error) continue;
    const k = key(s);
    const g = groups.get(k) ?? {
      service: s.service,
      resource: s.resource,
      errorType: s.errorType ?? 'Error',
      message: (s.errorMessage ?? '').slice(0, 200),
      count: 0,
      baselineCount: baseCounts.get(k) ?? 0,
      firstSeen: s.time,
    };
    g.count += 1;
    if (s.time < g.firstSeen) g.firstSeen = s.time;
    groups.set(k, g);
  }
  const byResource = (rows: SpanRow[]) => {
    const m = new Map<string, number[]>();
    for (const s of rows)
      m.set(`${s.service}|${s.resource}`, [...(m.get(`${s.service}|${s.resource}`) ?? []), s.durationMs]);
    return m;
  };
  const base = byResource(baseline);
  const slowest = [...byResource(window).entries()].map(([k, ds]) => {
    const [service, resource] = k.split('|') as [string, string];
    return { service, resource, p95Ms: p95(ds), baselineP95Ms: p95(base.get(k) ?? []), count: ds.length };
  });
  slowest.sort(
    (a, b) =>
      b.p95Ms / Math.max(b.baselineP95Ms, 1) - a.p95Ms / Math.max(a.baselineP95Ms, 1) || b.p95Ms - a.p95Ms,
  );
  return {
    errors: [...groups.values()].sort((a, b) => b.count - b.baselineCount - (a.count - a.baselineCount)),
    slowest: slowest.slice(0, 10),
  };
}

export function spanTools(cfg: DatadogConfig): Tool[] {
  return [
    defineTool({
      name: 'datadog.spans',
      integration: 'datadog',
      description:
        'Search APM spans (query like service:checkout, optional status:error) over a window (default: the hour before now). Returns error spans grouped by resource and error type (with counts against the window before) and the resources whose p95 latency grew most. Use it for latency alerts and to see which endpoint and exception fail.',
      input: z.object({
        query: z
          .string()
          .min(1)
          .describe('Span query, e.g. service:checkout or service:checkout status:error'),
        from: TimeInput.optional(),
        to: TimeInput.optional(),
      }),
      async run({ query, from, to }, ctx) {
        const w = resolveWindow({ from, to }, ctx.now, DEFAULT_SPAN_MS);
        const span = w.to - w.from;
        try {
          const api = new v2.SpansApi(datadogConfiguration(cfg, ctx.signal));
          const rows: SpanRow[] = [];
          let cursor: string | undefined;
          do {
            const res = await api.listSpans({
              body: {
                data: {
                  type: 'search_request',
                  attributes: {
                    filter: {
                      query,
                      from: new Date(w.from - span).toISOString(),
                      to: new Date(w.to).toISOString(),
                    },
                    page: { limit: 1000, cursor },
                    sort: 'timestamp',
                  },
                },
              },
            });
            for (const s of res.data ?? []) {
              const a = s.attributes ?? {};
              const custom = (a.custom ?? {}) as {
                duration?: number;
                status?: string;
                error?: { type?: string; message?: string };
              };
              rows.push({
                time:
                  a.startTimestamp instanceof Date
                    ? a.startTimestamp.toISOString()
                    : String(a.startTimestamp ?? ''),
                service: a.service ?? '',
                resource: a.resourceName ?? '',
                durationMs: (custom.duration ?? 0) / 1e6,
                error: custom.status === 'error' || custom.error !== undefined,
                errorType: custom.error?.type,
                errorMessage: custom.error?.message,
              });
            }
            cursor = res.meta?.page?.after;
          } while (cursor && rows.length < MAX_SPANS && !ctx.signal.aborted);
          const start = new Date(w.from).toISOString();
          const windowRows = rows.filter((r) => r.time >= start);
          const { errors, slowest } = summariseSpans(
            windowRows,
            rows.filter((r) => r.time < start),
          );
          const data: SpansData = {
            query,
            from: start,
            to: new Date(w.to).toISOString(),
            total: windowRows.length,
            errors,
            slowest,
          };
          const errLines = errors
            .slice(0, 8)
            .map(
              (g) =>
                `- ${g.count}x (before: ${g.baselineCount}x) ${g.service} ${g.resource} ${g.errorType}: ${g.message} (first ${isoMinute(Date.parse(g.firstSeen))})`,
            );
          const slowLines = slowest
            .slice(0, 5)
            .map(
              (s) =>
                `- ${s.service} ${s.resource}: p95 ${s.p95Ms.toFixed(0)} ms (before ${s.baselineP95Ms.toFixed(0)} ms, ${s.count} spans)`,
            );
          return {
            ok: true,
            summary: `${windowRows.length} spans for ${query}, ${isoMinute(w.from)} to ${isoMinute(w.to)} UTC\nErrors by resource and type:\n${errLines.join('\n') || '- none'}\nSlowest resources:\n${slowLines.join('\n') || '- none'}`,
            data,
            citations: [
              {
                source: 'datadog',
                ref: `spans:${query}`,
                title: `Traces ${query}`,
                url: `${appUrl(cfg)}/apm/traces?query=${encodeURIComponent(query)}&start=${w.from}&end=${w.to}`,
              },
            ],
            truncated: Boolean(cursor),
          };
        } catch (err) {
          return failure(describeDatadogError(err, `span search "${query}"`));
        }
      },
    }),
  ];
}
