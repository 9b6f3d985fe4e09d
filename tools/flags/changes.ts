import { z } from 'zod';
import { defineTool, failure, type Tool } from '../contract';
import { describeHttpError, getJson } from '../http';
import type { DataSources } from '../sources';
import { isoMinute, resolveWindow, TimeInput } from '../time';

export type LaunchDarklyConfig = NonNullable<DataSources['launchdarkly']>;
export type FlagChangeData = {
  key: string;
  service?: string;
  time: string;
  from: unknown;
  to: unknown;
  actor: string;
  description: string;
  url?: string;
};

type AuditEntry = {
  _id: string;
  date: number;
  kind?: string;
  name?: string;
  description?: string;
  title?: string;
  member?: { email?: string; firstName?: string };
  delta?: { from?: unknown; to?: unknown };
  tags?: string[];
  _links?: { self?: { href?: string } };
};

const DEFAULT_SPAN_MS = 6 * 3_600_000;

/** Pure: an audit-log entry to a flag change (the value change comes from `delta`, or the description). */
export function parseAuditEntry(e: AuditEntry, baseUrl: string): FlagChangeData {
  const fromDesc = /from `([^`]*)` to `([^`]*)`/.exec(e.description ?? '');
  const parse = (s: string | undefined) => {
    try {
      return s === undefined ? undefined : JSON.parse(s);
    } catch {
      return s;
    }
  };
  return {
    key: e.name ?? 'unknown',
    service: e.tags?.find((t) => t.startsWith('service:'))?.slice('service:'.length),
    time: new Date(e.date).toISOString(),
    from: e.delta?.from ?? parse(fromDesc?.[1]),
    to: e.delta?.to ?? parse(fromDesc?.[2]),
    actor: e.member?.email ?? e.member?.firstName ?? 'unknown',
    description: (e.description ?? e.title ?? '').slice(0, 300),
    url: e._links?.self?.href ? `${baseUrl}${e._links.self.href}` : undefined,
  };
}

export function createFlagTools(cfg: LaunchDarklyConfig, options: { retryBaseMs?: number } = {}): Tool[] {
  return [
    defineTool({
      name: 'flags.changes',
      integration: 'launchdarkly',
      description:
        'List feature flag changes from the LaunchDarkly audit log in a window (default: the 6 hours before now), optionally for one flag key or service. A flag flipped just before the onset is a prime suspect that needs no deploy.',
      input: z.object({
        since: TimeInput.optional(),
        until: TimeInput.optional(),
        query: z.string().optional().describe('Flag key or service text to filter on'),
      }),
      async run({ since, until, query }, ctx) {
        const w = resolveWindow({ from: since, to: until }, ctx.now, DEFAULT_SPAN_MS);
        const params = new URLSearchParams({ after: String(w.from), before: String(w.to), limit: '20' });
        if (query) params.set('q', query);
        const base = cfg.baseUrl.replace(/\/$/, '');
        try {
          const body = (await getJson(
            `${base}/api/v2/auditlog?${params}`,
            { authorization: cfg.token },
            ctx.signal,
            options,
          )) as { items?: AuditEntry[] };
          if (!Array.isArray(body.items))
            return failure('LaunchDarkly answered without an items array; check LAUNCHDARKLY_API_URL');
          const changes = body.items
            .filter((e) => (e.kind ?? 'flag') === 'flag')
            .map((e) => parseAuditEntry(e, base));
          return {
            ok: true,
            summary:
              changes.length === 0
                ? `No flag changes between ${isoMinute(w.from)} and ${isoMinute(w.to)} UTC.`
                : changes
                    .map(
                      (c) =>
                        `- ${isoMinute(Date.parse(c.time))} ${c.key}${c.service ? ` (service ${c.service})` : ''}: ${JSON.stringify(c.from)} -> ${JSON.stringify(c.to)} by ${c.actor}`,
                    )
                    .join('\n'),
            data: { changes },
            citations: changes.map((c) => ({
              source: 'launchdarkly' as const,
              ref: c.key,
              title: `Flag ${c.key} changed`,
              url: c.url,
            })),
            truncated: false,
          };
        } catch (err) {
          return failure(describeHttpError('LaunchDarkly', 'LAUNCHDARKLY_API_TOKEN', err, 'the audit log'));
        }
      },
    }),
  ];
}
