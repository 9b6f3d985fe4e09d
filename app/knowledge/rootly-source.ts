import { chunkMarkdown, hashText } from '../../indexer/chunk';
import type { SourceDocument } from '../../indexer/pipeline';
import type { FetchResult, KnowledgeSource } from '../../indexer/sources/source';
import { listIncidents, type PastIncident } from '../../tools/rootly/index';

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

/**
 * Rootly incidents with their cause and mitigation, over the JSON:API (every page), as documents.
 * Incremental: only incidents updated after the cursor (the newest updated_at seen); `--full`
 * reads everything and removes incidents Rootly no longer has.
 */
export function rootlySource(cfg: { token: string; baseUrl: string }): KnowledgeSource {
  return {
    name: 'rootly',
    async fetch({ cursor, full, signal }): Promise<FetchResult> {
      const since = full ? undefined : cursor;
      const incidents = await listIncidents(
        cfg,
        since ? { 'filter[updated_at][gt]': since } : {},
        signal ?? new AbortController().signal,
      );
      const docs = incidents.map(incidentDocument);
      const newest = incidents
        .map((i) => i.updatedAt ?? i.resolvedAt ?? i.startedAt)
        .filter((t) => Number.isFinite(Date.parse(t)))
        .reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a), cursor ?? '1970-01-01T00:00:00Z');
      return {
        docs,
        cursor: newest,
        ...(since ? {} : { presentIds: new Set(docs.map((d) => d.externalId)) }),
      };
    },
  };
}
