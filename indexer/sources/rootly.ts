import { getJson } from '../../tools/http';
import { type PastIncident, parseIncident } from '../../tools/rootly/index';
import { chunkMarkdown, hashText } from '../chunk';
import type { SourceDocument } from '../pipeline';
import type { FetchResult, KnowledgeSource } from './source';

/** A past incident as one knowledge document: summary, cause, mitigation and services. */
export function incidentDocument(
  i: Pick<
    PastIncident,
    | 'id'
    | 'title'
    | 'summary'
    | 'severity'
    | 'services'
    | 'startedAt'
    | 'resolvedAt'
    | 'cause'
    | 'mitigation'
    | 'url'
  >,
): SourceDocument {
  const text = `${i.summary}\n\nCause: ${i.cause ?? 'unknown'}\n\nMitigation: ${i.mitigation ?? 'unknown'}\n\nServices: ${i.services.join(', ')}`;
  return {
    source: 'rootly',
    externalId: i.id,
    title: i.title,
    url: i.url,
    service: i.services[0],
    updatedAt: i.resolvedAt ?? i.startedAt,
    contentHash: hashText(`${i.title}\n${text}`),
    meta: { severity: i.severity, services: i.services, startedAt: i.startedAt },
    chunks: chunkMarkdown(i.title, text),
  };
}

/** Rootly incidents with their cause and mitigation, over the JSON:API (every page), as documents. */
export function rootlySource(cfg: { token: string; baseUrl: string }): KnowledgeSource {
  const base = cfg.baseUrl.replace(/\/$/, '');
  return {
    name: 'rootly',
    async fetch({ signal }): Promise<FetchResult> {
      const docs: FetchResult['docs'] = [];
      for (let page = 1; page < 1_000; page++) {
        const body = (await getJson(
          `${base}/v1/incidents?page[number]=${page}&page[size]=100`,
          { authorization: `Bearer ${cfg.token}` },
          signal ?? new AbortController().signal,
        )) as {
          data?: Parameters<typeof parseIncident>[0][];
          meta?: { next_page?: number | null };
        };
        for (const raw of body.data ?? []) {
          docs.push(incidentDocument(parseIncident(raw)));
        }
        if (!body.meta?.next_page) break;
      }
      return { docs, presentIds: new Set(docs.map((d) => d.externalId)) };
    },
  };
}
