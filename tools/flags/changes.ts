import { z } from 'zod';
import { defineTool, failure, type Tool, type ToolContext } from '../contract';
import { REQUEST_LIMITS } from '../defaults';
import { describeHttpError, getJson } from '../http';
import type { DataSources } from '../sources';
import { isoMinute, resolveWindow, TimeInput } from '../time';
import {
  type AuditEntryDetail,
  type AuditListEntry,
  actorOf,
  type FlagResource,
  type FlagVersion,
  flagOf,
  serviceFromKey,
  serviceFromTags,
  valueChange,
} from './audit-entry';

export type LaunchDarklyConfig = NonNullable<DataSources['launchdarkly']>;
export type FlagChangeData = {
  /** The flag key (from the entry's target resource), not its display name. */
  key: string;
  project: string;
  environment?: string;
  service?: string;
  time: string;
  /** The served value before and after; undefined when the entry does not show it. */
  from: unknown;
  to: unknown;
  actor: string;
  description: string;
  url?: string;
};

const DEFAULT_SPAN_MS = 6 * 3_600_000;
/** Only flag entries, in every project and environment (a LaunchDarkly resource specifier). */
const FLAG_SPEC = 'proj/*:env/*:flag/*';

type Get = (path: string) => Promise<unknown>;

/** The entry's detail, or undefined when it cannot be read (that entry alone loses its change). */
async function detailOf(get: Get, e: AuditListEntry): Promise<AuditEntryDetail | undefined> {
  const href = e._links?.self?.href ?? `/api/v2/auditlog/${encodeURIComponent(e._id)}`;
  return (await get(href).catch(() => undefined)) as AuditEntryDetail | undefined;
}

/** The flag's service: its tags (from the detail's version, else GET the flag), else the catalog. */
async function serviceOf(
  get: Get,
  flag: FlagResource,
  detail: AuditEntryDetail | undefined,
  ctx: ToolContext,
): Promise<string | undefined> {
  const version: FlagVersion | undefined =
    detail?.currentVersion ??
    detail?.previousVersion ??
    ((await get(
      `/api/v2/flags/${encodeURIComponent(flag.project)}/${encodeURIComponent(flag.key)}?summary=true`,
    ).catch(() => undefined)) as FlagVersion | undefined);
  return serviceFromTags(version?.tags) ?? serviceFromKey(flag.key, Object.keys(ctx.catalog.services));
}

/** Pure: one entry and what its detail showed, as a flag change. */
export function toFlagChange(
  e: AuditListEntry,
  flag: FlagResource,
  detail: AuditEntryDetail | undefined,
  service: string | undefined,
  baseUrl: string,
): FlagChangeData {
  const change = detail ? valueChange(detail, flag.environment) : { from: undefined, to: undefined };
  const site = e._links?.site?.href;
  return {
    key: flag.key,
    project: flag.project,
    environment: flag.environment,
    service,
    time: new Date(e.date).toISOString(),
    from: change.from,
    to: change.to,
    actor: actorOf(e),
    description: (e.description ?? e.shortDescription ?? e.title ?? '').slice(0, 300),
    url: site ? new URL(site, baseUrl).toString() : undefined,
  };
}

/** Pure: one summary line: an unknown side shows as `?`; with both unknown, what the entry says instead. */
export function describeFlagChange(c: FlagChangeData): string {
  const known = c.from !== undefined || c.to !== undefined;
  const what = known
    ? `${JSON.stringify(c.from) ?? '?'} -> ${JSON.stringify(c.to) ?? '?'}`
    : c.description.replace(/\s+/g, ' ').trim() || 'changed (no detail)';
  return `- ${isoMinute(Date.parse(c.time))} ${c.key}${c.environment ? ` [${c.environment}]` : ''}${c.service ? ` (service ${c.service})` : ''}: ${what} by ${c.actor}`;
}

function matches(c: FlagChangeData, query: string | undefined): boolean {
  if (!query) return true;
  const q = query.toLowerCase();
  return c.key.toLowerCase().includes(q) || c.service?.toLowerCase() === q;
}

export function createFlagTools(cfg: LaunchDarklyConfig, options: { retryBaseMs?: number } = {}): Tool[] {
  return [
    defineTool({
      name: 'flags.changes',
      integration: 'launchdarkly',
      description:
        'List feature flag changes from the LaunchDarkly audit log in a window (default: the 6 hours before now), optionally for one flag key or service, with the value served before and after. A flag flipped just before the onset is a prime suspect that needs no deploy.',
      input: z.object({
        since: TimeInput.optional(),
        until: TimeInput.optional(),
        query: z.string().optional().describe('Flag key (or part of it) or service name to filter on'),
      }),
      async run({ since, until, query }, ctx) {
        const w = resolveWindow({ from: since, to: until }, ctx.now, DEFAULT_SPAN_MS);
        const base = cfg.baseUrl.replace(/\/$/, '');
        const get: Get = (path) =>
          getJson(`${base}${path}`, { authorization: cfg.token }, ctx.signal, options);
        const params = new URLSearchParams({
          after: String(w.from),
          before: String(w.to),
          limit: String(REQUEST_LIMITS.auditLogEntries),
          spec: FLAG_SPEC,
        });
        let body: { items?: AuditListEntry[] };
        try {
          body = (await get(`/api/v2/auditlog?${params}`)) as typeof body;
        } catch (err) {
          return failure(describeHttpError('LaunchDarkly', 'LAUNCHDARKLY_API_TOKEN', err, 'the audit log'));
        }
        if (!Array.isArray(body.items))
          return failure('LaunchDarkly answered without an items array; check LAUNCHDARKLY_API_URL');
        const flagEntries = body.items
          .filter((e) => (e.kind ?? 'flag') === 'flag' && e.date >= w.from && e.date <= w.to)
          .flatMap((e) => {
            const flag = flagOf(e);
            return flag ? [{ e, flag }] : [];
          })
          .sort((a, b) => b.e.date - a.e.date);
        const detailed = flagEntries.slice(0, REQUEST_LIMITS.auditLogDetails);
        const changes = await Promise.all(
          detailed.map(async ({ e, flag }) => {
            const detail = await detailOf(get, e);
            return toFlagChange(e, flag, detail, await serviceOf(get, flag, detail, ctx), base);
          }),
        );
        // Beyond the cap the entries are still listed, by key and description.
        const rest = flagEntries
          .slice(REQUEST_LIMITS.auditLogDetails)
          .map(({ e, flag }) =>
            toFlagChange(
              e,
              flag,
              undefined,
              serviceFromKey(flag.key, Object.keys(ctx.catalog.services)),
              base,
            ),
          );
        const shown = [...changes, ...rest].filter((c) => matches(c, query));
        const unreadable = body.items.length - flagEntries.length;
        const notes = [
          rest.length
            ? `${rest.length} older changes listed without their detail (cap ${REQUEST_LIMITS.auditLogDetails}).`
            : '',
          unreadable ? `${unreadable} entries named no flag resource and were skipped.` : '',
          body.items.length >= REQUEST_LIMITS.auditLogEntries
            ? 'The audit log may hold more: narrow the window.'
            : '',
        ].filter(Boolean);
        return {
          ok: true,
          summary: `${
            shown.length === 0
              ? `No flag changes${query ? ` matching "${query}"` : ''} between ${isoMinute(w.from)} and ${isoMinute(w.to)} UTC.`
              : shown.map(describeFlagChange).join('\n')
          }${notes.length ? `\n${notes.join(' ')}` : ''}`,
          data: { changes: shown },
          citations: shown.map((c) => ({
            source: 'launchdarkly' as const,
            ref: c.key,
            title: `Flag ${c.key} changed`,
            url: c.url,
          })),
          truncated: rest.length > 0 || body.items.length >= REQUEST_LIMITS.auditLogEntries,
        };
      },
    }),
  ];
}
