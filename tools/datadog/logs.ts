import { v2 } from '@datadog/datadog-api-client';
import { z } from 'zod';
import { clusterLogs } from '../analysis/log-patterns';
import { defineTool, failure, type Tool } from '../contract';
import { isoMinute, resolveWindow, TimeInput } from '../time';
import { appUrl, type DatadogConfig, datadogConfiguration, describeDatadogError } from './client';
import {
  describeLogEvidence,
  type LogPatternEvidence,
  type LogRecordLine,
  withLogEvidence,
} from './log-evidence';

export type LogsData = {
  /** The query as read: with warn lines added when it asked for status:error (see withWarnLevel). */
  query: string;
  from: string;
  to: string;
  total: number;
  baselineTotal: number;
  /** New first, then by count; the first EVIDENCE_LIMITS.detailedGroups carry attributes, stack and splits. */
  patterns: LogPatternEvidence[];
  capped: boolean;
};

const DEFAULT_SPAN_MS = 3_600_000;
/** Enough lines to cluster an incident; beyond this we say the sample was capped. */
const MAX_LINES = 5_000;
const PAGE = 1_000;
const SHOWN_PATTERNS = 12;
/** Patterns whose evidence line (kind, version, host, peer, stack) the summary shows. */
const SHOWN_DETAILS = 6;

/**
 * Warn lines often carry the decisive clue before errors do (retries, timeouts, pool waits), so a
 * query for `status:error` reads `status:(error OR warn)`. Other queries are left as they are.
 */
export function withWarnLevel(query: string): string {
  return query.replace(/(^|\s)status:error(?=\s|$)/, '$1status:(error OR warn)');
}

/** Pages through DataDog log search (oldest first) up to MAX_LINES. */
export async function fetchLogs(
  cfg: DatadogConfig,
  signal: AbortSignal,
  query: string,
  from: number,
  to: number,
): Promise<{ lines: LogRecordLine[]; capped: boolean }> {
  const api = new v2.LogsApi(datadogConfiguration(cfg, signal));
  const lines: LogRecordLine[] = [];
  let cursor: string | undefined;
  do {
    const res = await api.listLogs({
      body: {
        filter: { query, from: new Date(from).toISOString(), to: new Date(to).toISOString() },
        page: { limit: PAGE, cursor },
        sort: 'timestamp',
      },
    });
    for (const l of res.data ?? []) {
      const a = l.attributes ?? {};
      lines.push({
        timestamp: a.timestamp instanceof Date ? a.timestamp.toISOString() : String(a.timestamp ?? ''),
        message: a.message ?? '',
        service: a.service,
        status: a.status,
        host: a.host,
        attributes: a.attributes ?? {},
        tags: a.tags ?? [],
      });
    }
    cursor = res.meta?.page?.after;
  } while (cursor && lines.length < MAX_LINES && !signal.aborted);
  return { lines: lines.slice(0, MAX_LINES), capped: Boolean(cursor) };
}

export function describePatterns(patterns: readonly LogPatternEvidence[], total: number): string {
  if (total === 0) return 'No log lines matched.';
  const rows = patterns.slice(0, SHOWN_PATTERNS).map((p, i) => {
    const tag = p.isNew ? 'NEW ' : '';
    const detail = i < SHOWN_DETAILS ? describeLogEvidence(p) : '';
    return `- ${tag}${p.count}x [${p.status}] ${p.services.join(',')} first ${isoMinute(Date.parse(p.firstSeen))} (baseline ${p.baselineCount}x): ${p.sample.slice(0, 220)}${detail ? `\n    ${detail}` : ''}`;
  });
  const more =
    patterns.length > SHOWN_PATTERNS ? `\n(${patterns.length - SHOWN_PATTERNS} more patterns)` : '';
  return `${total} lines in ${patterns.length} patterns (new first):\n${rows.join('\n')}${more}`;
}

export function logTools(cfg: DatadogConfig): Tool[] {
  return [
    defineTool({
      name: 'datadog.logs',
      integration: 'datadog',
      description:
        'Search DataDog logs (syntax: service:checkout status:error -host:x "exact phrase" word *wild* @attr:value status:(error OR warn)) over a window (default: the hour before now); status:error also reads warn lines unless includeWarn is false. Clusters messages into patterns by masking ids, numbers, IPs and UUIDs, with counts, first seen, and which patterns are NEW compared with the same-length window before; the top patterns keep their structured attributes (error kind, message, stack, http, peer, version) and how they split by version, host and peer. Use it to find the error signature that started at the onset and what introduced it.',
      input: z.object({
        query: z.string().min(1).describe('Log search query, e.g. service:checkout status:error'),
        from: TimeInput.optional(),
        to: TimeInput.optional(),
        includeWarn: z
          .boolean()
          .default(true)
          .describe('Read warn lines too when the query asks for status:error (default true)'),
      }),
      async run({ query: asked, from, to, includeWarn }, ctx) {
        const query = includeWarn ? withWarnLevel(asked) : asked;
        const w = resolveWindow({ from, to }, ctx.now, DEFAULT_SPAN_MS);
        const span = w.to - w.from;
        try {
          // Window and baseline are read apart, so a capped sample never cuts the window short.
          const [current, before] = await Promise.all([
            fetchLogs(cfg, ctx.signal, query, w.from, w.to),
            fetchLogs(cfg, ctx.signal, query, w.from - span, w.from - 1),
          ]);
          const capped = current.capped || before.capped;
          const start = new Date(w.from).toISOString();
          const windowLines = current.lines;
          const baseline = before.lines;
          const patterns = withLogEvidence(
            clusterLogs(windowLines, baseline, { windowMs: span, baselineMs: span }),
            windowLines,
          );
          const data: LogsData = {
            query,
            from: start,
            to: new Date(w.to).toISOString(),
            total: windowLines.length,
            baselineTotal: baseline.length,
            patterns: patterns.slice(0, 50),
            capped,
          };
          const link = `${appUrl(cfg)}/logs?query=${encodeURIComponent(query)}&from_ts=${w.from}&to_ts=${w.to}`;
          return {
            ok: true,
            summary: `${query} ${isoMinute(w.from)} to ${isoMinute(w.to)} UTC (baseline: ${baseline.length} lines in the window before)\n${describePatterns(patterns, windowLines.length)}${capped ? '\n(sample capped; narrow the query for exact counts)' : ''}`,
            data,
            citations: [{ source: 'datadog', ref: `logs:${query}`, title: `Logs ${query}`, url: link }],
            truncated: capped || patterns.length > SHOWN_PATTERNS,
          };
        } catch (err) {
          return failure(describeDatadogError(err, `log search "${query}"`));
        }
      },
    }),
  ];
}
