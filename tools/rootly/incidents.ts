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

/** A JSON:API resource identifier, and a resource with attributes (Rootly's OpenAPI spec). */
type ResourceId = { id?: string; type?: string };
type NamedResource = ResourceId & { attributes?: { name?: string | null; slug?: string | null } };
/**
 * A related record as Rootly nests it in an incident's attributes: `{ data: { id, type,
 * attributes: { name, slug } } }` (SeverityResponse, ServiceResponse). A bare string or a flat
 * `{ name, slug }` is read too, for older payloads.
 */
type Nested = { data?: NamedResource | null } | { name?: string; slug?: string } | string | null;

export type JsonApiIncident = {
  id: string;
  type?: string;
  attributes: {
    title?: string;
    summary?: string | null;
    severity?: Nested;
    started_at?: string | null;
    resolved_at?: string | null;
    updated_at?: string | null;
    mitigation_message?: string | null;
    resolution_message?: string | null;
    url?: string | null;
    services?: Nested[] | null;
  };
  /** With `include=services,severity`: identifiers whose records are in the document's `included`. */
  relationships?: Record<string, { data?: ResourceId | ResourceId[] | null } | undefined>;
};

/** The `included` records of a compound document, by `type/id`. */
export type IncludedIndex = ReadonlyMap<string, NamedResource>;

export function indexIncluded(included: readonly NamedResource[] | undefined): IncludedIndex {
  return new Map((included ?? []).map((r) => [`${r.type}/${r.id}`, r]));
}

/** Pure: the slug (the stable, catalog-like name) of a nested record, else its name. */
function nestedName(n: Nested | undefined): string | undefined {
  if (!n) return undefined;
  if (typeof n === 'string') return n;
  const flat = 'data' in n ? n.data?.attributes : (n as { name?: string; slug?: string });
  return flat?.slug ?? flat?.name ?? undefined;
}

/** Pure: the related records a relationship names, looked up in `included`. */
function related(r: JsonApiIncident, name: string, included: IncludedIndex): string[] {
  const data = r.relationships?.[name]?.data;
  const ids = Array.isArray(data) ? data : data ? [data] : [];
  return ids
    .map((id) => included.get(`${id.type}/${id.id}`))
    .map((rec) => rec?.attributes?.slug ?? rec?.attributes?.name ?? undefined)
    .filter((x): x is string => Boolean(x));
}

/**
 * Pure: one JSON:API incident resource to our shape. Services and severity come from the nested
 * attributes, or from relationships resolved against the document's `included` records.
 */
export function parseIncident(r: JsonApiIncident, included: IncludedIndex = new Map()): PastIncident {
  const a = r.attributes ?? {};
  const nestedServices = (a.services ?? []).map(nestedName).filter((x): x is string => Boolean(x));
  const services = [...new Set([...nestedServices, ...related(r, 'services', included)])];
  return {
    id: String(r.id),
    title: a.title ?? '',
    summary: a.summary ?? '',
    severity: nestedName(a.severity) ?? related(r, 'severity', included)[0] ?? 'unknown',
    services,
    startedAt: a.started_at ?? '',
    resolvedAt: a.resolved_at ?? undefined,
    updatedAt: a.updated_at ?? undefined,
    cause: a.resolution_message ?? undefined,
    mitigation: a.mitigation_message ?? undefined,
    url: a.url ?? undefined,
  };
}

/** A list or show response: `data` with, when relationships were included, `included`. */
export type IncidentsDocument = {
  data?: JsonApiIncident[];
  included?: NamedResource[];
  meta?: { next_page?: number | null };
};

/** Pure: every incident of a list response, relationships resolved. */
export function parseIncidentList(body: IncidentsDocument): PastIncident[] {
  const included = indexIncluded(body.included);
  return (body.data ?? []).map((r) => parseIncident(r, included));
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
    )) as IncidentsDocument;
    out.push(...parseIncidentList(body));
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
          )) as IncidentsDocument;
          if (!Array.isArray(body.data))
            return failure(
              'Rootly answered without a data array; is ROOTLY_API_URL the API (https://api.rootly.com)?',
            );
          const incidents = parseIncidentList(body);
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
