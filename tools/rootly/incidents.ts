import { z } from 'zod';
import { defineTool, failure, type Tool } from '../contract';
import { describeHttpError, getJson } from '../http';
import type { DataSources } from '../sources';

export type RootlyConfig = NonNullable<DataSources['rootly']>;
export type PastIncident = {
  id: string;
  title: string;
  summary: string;
  severity: string;
  services: string[];
  startedAt: string;
  resolvedAt?: string;
  /** When Rootly last changed it (the indexer's incremental cursor). */
  updatedAt?: string;
  cause?: string;
  mitigation?: string;
  url?: string;
};

type JsonApiIncident = {
  id: string;
  attributes: {
    title?: string;
    summary?: string;
    severity?: { data?: { attributes?: { slug?: string; name?: string } } } | string | null;
    started_at?: string;
    resolved_at?: string | null;
    updated_at?: string | null;
    mitigation_message?: string | null;
    resolution_message?: string | null;
    url?: string | null;
    services?: { name?: string; slug?: string }[] | null;
  };
};

/** Pure: one JSON:API incident resource to our shape. */
export function parseIncident(r: JsonApiIncident): PastIncident {
  const a = r.attributes ?? {};
  const sev =
    typeof a.severity === 'string'
      ? a.severity
      : (a.severity?.data?.attributes?.slug ?? a.severity?.data?.attributes?.name ?? 'unknown');
  return {
    id: String(r.id),
    title: a.title ?? '',
    summary: a.summary ?? '',
    severity: sev,
    services: (a.services ?? []).map((s) => s.slug ?? s.name ?? '').filter(Boolean),
    startedAt: a.started_at ?? '',
    resolvedAt: a.resolved_at ?? undefined,
    updatedAt: a.updated_at ?? undefined,
    cause: a.resolution_message ?? undefined,
    mitigation: a.mitigation_message ?? undefined,
    url: a.url ?? undefined,
  };
}

/** Every incident matching `params`, page by page (JSON:API page[number]/meta.next_page). */
export async function listIncidents(
  cfg: RootlyConfig,
  params: Record<string, string>,
  signal: AbortSignal,
): Promise<PastIncident[]> {
  const out: PastIncident[] = [];
  const base = cfg.baseUrl.replace(/\/$/, '');
  for (let page = 1; page < 1_000; page++) {
    const query = new URLSearchParams({ ...params, 'page[number]': String(page), 'page[size]': '100' });
    const body = (await getJson(
      `${base}/v1/incidents?${query}`,
      { authorization: `Bearer ${cfg.token}` },
      signal,
    )) as {
      data?: JsonApiIncident[];
      meta?: { next_page?: number | null };
    };
    out.push(...(body.data ?? []).map(parseIncident));
    if (!body.meta?.next_page) break;
  }
  return out;
}

export function createRootlyTools(cfg: RootlyConfig, options: { retryBaseMs?: number } = {}): Tool[] {
  return [
    defineTool({
      name: 'rootly.incidents',
      integration: 'rootly',
      description:
        'Search past incidents in Rootly by text (symptoms, error messages, component names), optionally by service and start date. Returns each incident with its cause and mitigation: use it to learn how a similar problem was fixed before.',
      input: z.object({
        query: z.string().min(2).describe('Words describing the symptom or suspected cause'),
        service: z.string().optional().describe('Only incidents that affected this service'),
        since: z.string().optional().describe('Only incidents started after this ISO date'),
        limit: z.number().int().min(1).max(20).default(5),
      }),
      async run({ query, service, since, limit }, ctx) {
        const params = new URLSearchParams({ 'filter[search]': query, 'page[size]': String(limit) });
        if (service) params.set('filter[services]', service);
        if (since) params.set('filter[started_at][gte]', since);
        try {
          const body = (await getJson(
            `${cfg.baseUrl.replace(/\/$/, '')}/v1/incidents?${params}`,
            { authorization: `Bearer ${cfg.token}` },
            ctx.signal,
            options,
          )) as { data?: JsonApiIncident[] };
          if (!Array.isArray(body.data))
            return failure(
              'Rootly answered without a data array; is ROOTLY_API_URL the API (https://api.rootly.com)?',
            );
          const incidents = body.data.map(parseIncident);
          return {
            ok: true,
            summary:
              incidents.length === 0
                ? `No past incidents match "${query}".`
                : incidents
                    .map(
                      (i) =>
                        `- ${i.id} [${i.severity}] ${i.title} (${i.startedAt.slice(0, 10)}, ${i.services.join(',')})\n    ${i.summary}${i.cause ? `\n    cause: ${i.cause}` : ''}${i.mitigation ? `\n    mitigation: ${i.mitigation}` : ''}`,
                    )
                    .join('\n'),
            data: { incidents },
            citations: incidents.map((i) => ({
              source: 'rootly' as const,
              ref: i.id,
              title: i.title,
              url: i.url,
            })),
            truncated: false,
          };
        } catch (err) {
          return failure(describeHttpError('Rootly', 'ROOTLY_API_TOKEN', err, `incident search "${query}"`));
        }
      },
    }),
  ];
}
