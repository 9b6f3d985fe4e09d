import { v2 } from '@datadog/datadog-api-client';
import { z } from 'zod';
import { defineTool, failure, type Tool } from '../contract';
import { EVIDENCE_LIMITS } from '../defaults';
import { isoMinute, resolveWindow, TimeInput } from '../time';
import {
  boundedStack,
  describeCounts,
  flattenAttributes,
  peerOf,
  stackHead,
  tagMap,
  versionOf,
} from './attributes';
import { appUrl, type DatadogConfig, datadogConfiguration, describeDatadogError } from './client';
import {
  type Breakdown,
  breakdownBy,
  type ErrorGroup,
  groupErrors,
  type SlowResource,
  type SpanRow,
} from './span-breakdown';

export type { Breakdown, ErrorGroup, SlowResource, SpanRow } from './span-breakdown';

export type SpansData = {
  query: string;
  from: string;
  to: string;
  total: number;
  /** Error groups, the ones that grew most first, each with its shared tags and version/host/peer split. */
  errors: ErrorGroup[];
  slowest: SlowResource[];
  /** Per resource: spans, errors, new errors and p95 against the window before. */
  resources: Breakdown[];
  /** Per component called (`peer.service`, else `peer.hostname`), the same. */
  peers: Breakdown[];
  /** Per version and per host: where the new errors are, against how much traffic each served. */
  versions: Breakdown[];
  hosts: Breakdown[];
};

const DEFAULT_SPAN_MS = 3_600_000;
const MAX_SPANS = 5_000;
/** Error groups kept in data, the ones that grew most first (as logs keep 50 patterns). */
const MAX_GROUPS = 50;
/** Rows per section of the summary text (data keeps EVIDENCE_LIMITS.breakdownRows). */
const SHOWN_ROWS = 5;

/** Pure: the window's spans against the window before, as error groups and breakdowns. */
export function summariseSpans(
  window: SpanRow[],
  baseline: SpanRow[],
): Pick<SpansData, 'errors' | 'slowest' | 'resources' | 'peers' | 'versions' | 'hosts'> {
  const { groups, newKeys } = groupErrors(window, baseline);
  const by = (keyOf: (s: SpanRow) => string | undefined) => breakdownBy(window, baseline, keyOf, newKeys);
  const resources = by((s) => s.resource);
  const growth = (b: Breakdown) => b.p95Ms / Math.max(b.baselineP95Ms, 1);
  const slowest = [...resources]
    .sort((a, b) => growth(b) - growth(a) || b.p95Ms - a.p95Ms)
    .slice(0, 10)
    .map((b) => ({
      service: b.service,
      resource: b.value,
      p95Ms: b.p95Ms,
      baselineP95Ms: b.baselineP95Ms,
      count: b.count,
    }));
  const rows = EVIDENCE_LIMITS.breakdownRows;
  return {
    errors: groups.slice(0, MAX_GROUPS),
    slowest,
    resources: resources.slice(0, rows),
    peers: by((s) => s.peer).slice(0, rows),
    versions: by((s) => s.version).slice(0, rows),
    hosts: by((s) => s.host).slice(0, rows),
  };
}

/** A span from the API: reserved fields, tags, and the custom meta (peer.*, http.*, error.*). */
export function toSpanRow(a: v2.SpansAttributes): SpanRow {
  const custom = (a.custom ?? {}) as {
    duration?: number;
    status?: string;
    error?: { type?: string; message?: string; stack?: string };
  };
  const flat = flattenAttributes(custom);
  const tags = a.tags ?? [];
  const byKey = tagMap(tags);
  const stack = boundedStack(custom.error?.stack);
  return {
    time: a.startTimestamp instanceof Date ? a.startTimestamp.toISOString() : String(a.startTimestamp ?? ''),
    service: a.service ?? '',
    resource: a.resourceName ?? '',
    durationMs: (custom.duration ?? 0) / 1e6,
    error: custom.status === 'error' || custom.error !== undefined,
    errorType: custom.error?.type,
    errorMessage: custom.error?.message,
    host: a.host ?? byKey.host,
    version: versionOf(flat, byKey),
    peer: peerOf(flat, byKey),
    tags,
    ...(stack ? { stack } : {}),
  };
}

const ratio = (part: number, whole: number) => `${part}/${whole}`;

function describeGroup(g: ErrorGroup): string {
  const head = `- ${g.count}x (before: ${g.baselineCount}x)${g.isNew ? ' NEW' : ''} ${g.service} ${g.resource} ${g.errorType}: ${g.message} (first ${isoMinute(Date.parse(g.firstSeen))})`;
  const detail = [
    g.versions.length > 0 ? `version ${describeCounts(g.versions)}` : '',
    g.hosts.length > 1 ? `hosts ${describeCounts(g.hosts)}` : '',
    g.peers.length > 0 ? `peer ${describeCounts(g.peers)}` : '',
    g.stack ? `stack ${stackHead(g.stack)}` : '',
  ]
    .filter(Boolean)
    .join(' · ')
    .slice(0, EVIDENCE_LIMITS.summaryDetailChars);
  return detail ? `${head}\n    ${detail}` : head;
}

function describeBreakdown(b: Breakdown, what: string): string {
  return `- ${b.service} ${what} ${b.value}: ${ratio(b.errors, b.count)} failed${b.newErrors ? ` (${b.newErrors} new)` : ''}, before ${ratio(b.baselineErrors, b.baselineCount)}; p95 ${b.p95Ms.toFixed(0)} ms (before ${b.baselineP95Ms.toFixed(0)} ms)`;
}

/** The summary text: error groups, slow resources, peers, and the version/host split of new errors. */
export function describeSpans(d: SpansData): string {
  const section = (title: string, rows: readonly string[]) => `${title}:\n${rows.join('\n') || '- none'}`;
  const sections = [
    section('Errors by resource and type', d.errors.slice(0, 8).map(describeGroup)),
    section(
      'Slowest resources',
      d.slowest
        .slice(0, SHOWN_ROWS)
        .map(
          (s) =>
            `- ${s.service} ${s.resource}: p95 ${s.p95Ms.toFixed(0)} ms (before ${s.baselineP95Ms.toFixed(0)} ms, ${s.count} spans)`,
        ),
    ),
  ];
  if (d.peers.length > 0)
    sections.push(
      section(
        'By peer called',
        d.peers.slice(0, SHOWN_ROWS).map((b) => describeBreakdown(b, '->')),
      ),
    );
  // A split says something only when new errors exist and there is more than one value to compare.
  for (const [title, rows, what] of [
    ['New errors by version', d.versions, 'version'],
    ['New errors by host', d.hosts, 'host'],
  ] as const) {
    if (rows.length > 1 && rows.some((b) => b.newErrors > 0))
      sections.push(
        section(
          title,
          rows.slice(0, SHOWN_ROWS).map((b) => describeBreakdown(b, what)),
        ),
      );
  }
  return `${d.total} spans for ${d.query}, ${isoMinute(Date.parse(d.from))} to ${isoMinute(Date.parse(d.to))} UTC\n${sections.join('\n')}`;
}

export function spanTools(cfg: DatadogConfig): Tool[] {
  return [
    defineTool({
      name: 'datadog.spans',
      integration: 'datadog',
      description:
        'Search APM spans (query like service:checkout, optional status:error) over a window (default: the hour before now). Returns error spans grouped by resource and error type (with counts against the window before, shared tags, and their split by version, host and peer), the resources whose p95 latency grew most, errors and latency per resource and per peer called (peer.service / peer.hostname), and how new errors split by version and host. Use it for latency alerts, to see which endpoint, exception and dependency fail, and whether one rollout or one host introduced them.',
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
            for (const s of res.data ?? []) rows.push(toSpanRow(s.attributes ?? {}));
            cursor = res.meta?.page?.after;
          } while (cursor && rows.length < MAX_SPANS && !ctx.signal.aborted);
          const start = new Date(w.from).toISOString();
          const windowRows = rows.filter((r) => r.time >= start);
          const data: SpansData = {
            query,
            from: start,
            to: new Date(w.to).toISOString(),
            total: windowRows.length,
            ...summariseSpans(
              windowRows,
              rows.filter((r) => r.time < start),
            ),
          };
          return {
            ok: true,
            summary: describeSpans(data),
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
