import { z } from 'zod';
import type { Db } from '../../data/db';
import type { Embedder } from '../../data/knowledge-store';
import {
  getEmbeddingSpace,
  hybridSearch,
  type SearchFilter,
  type SearchHit,
} from '../../data/knowledge-store';
import { defineTool, type Tool } from '../contract';
import { boostDocuments, type DocumentBoost } from './boost';

export type KnowledgeDeps = { db: Db; embedder: Embedder };
export type KnowledgeHit = {
  id: string;
  /** Set when learning moved this document up or down. */
  learned?: { boost: number; reason: string };
  title: string;
  url?: string;
  source: string;
  score: number;
  snippet: string;
  titlePath: string;
};

function snippet(hit: SearchHit, query: string): string {
  const words = (query.toLowerCase().match(/[\p{L}\p{N}]{3,}/gu) ?? []).slice(0, 8);
  const text = hit.text.replace(/\s+/g, ' ');
  const lower = text.toLowerCase();
  const at =
    words
      .map((w) => lower.indexOf(w))
      .filter((i) => i >= 0)
      .sort((a, b) => a - b)[0] ?? 0;
  const start = Math.max(0, at - 80);
  return `${start > 0 ? '…' : ''}${text.slice(start, start + 280)}${start + 280 < text.length ? '…' : ''}`;
}

/** Hybrid retrieval, one hit per document (its best chunk), ACL enforced by the store's filter. */
export async function searchKnowledge(
  deps: KnowledgeDeps,
  query: string,
  options: SearchFilter & { k?: number; boosts?: ReadonlyMap<string, DocumentBoost> } = {},
): Promise<KnowledgeHit[]> {
  const { k = 5, boosts, ...filter } = options;
  const space = getEmbeddingSpace(deps.db, {
    provider: deps.embedder.provider,
    model: deps.embedder.model,
    dimensions: deps.embedder.dimensions,
  });
  const [vector] = await deps.embedder.embed([query]);
  const hits = hybridSearch(deps.db, space, { text: query, vector: vector! }, k * 4, filter);
  const seen = new Set<number>();
  const out: KnowledgeHit[] = [];
  for (const h of hits) {
    if (seen.has(h.documentId)) continue;
    seen.add(h.documentId);
    out.push({
      id: h.externalId,
      title: h.title,
      url: h.url ?? undefined,
      source: h.source,
      score: h.score,
      snippet: snippet(h, query),
      titlePath: h.titlePath,
    });
  }
  return boostDocuments(out, boosts)
    .slice(0, k)
    .map((h) => ({ ...h, score: Math.round(h.score * 10_000) / 10_000 }));
}

function describe(hits: KnowledgeHit[]): string {
  return hits.length === 0
    ? 'No matching documents.'
    : hits
        .map(
          (h, i) =>
            `${i + 1}. [${h.source}] ${h.title} (${h.id})${h.url ? ` ${h.url}` : ''}${h.learned ? ` [learned ${h.learned.boost > 0 ? '+' : ''}${Math.round(h.learned.boost * 100)}%: ${h.learned.reason}]` : ''}\n   ${h.snippet}`,
        )
        .join('\n');
}

export function createKnowledgeTools(deps: KnowledgeDeps): Tool[] {
  const knowledge = defineTool({
    name: 'knowledge.search',
    integration: 'knowledge',
    description:
      'Search the knowledge base (runbooks, Confluence and Notion pages, past incident write-ups) with hybrid keyword + semantic retrieval. Use it for the runbook of the alerting service and for how similar problems were handled.',
    input: z.object({
      query: z.string().min(2).describe('What you are looking for, in words'),
      source: z.enum(['runbook', 'confluence', 'notion', 'rootly']).optional().describe('Only this source'),
      limit: z.number().int().min(1).max(10).default(5),
    }),
    async run({ query, source, limit }, ctx) {
      const hits = await searchKnowledge(deps, query, {
        k: limit,
        channelId: ctx.channelId,
        boosts: ctx.documentBoosts,
        sources: source ? [source] : ['runbook', 'confluence', 'notion', 'rootly'],
      });
      return {
        ok: true,
        summary: describe(hits),
        data: { hits },
        citations: hits.map((h) => ({ source: 'knowledge' as const, ref: h.id, title: h.title, url: h.url })),
        truncated: false,
      };
    },
  });
  const slack = defineTool({
    name: 'slack.search_history',
    integration: 'knowledge',
    description:
      'Search past Slack conversations (indexed channels; private channels only when investigating in that channel) for what people said about a symptom, service or change.',
    input: z.object({
      query: z.string().min(2).describe('Words to look for'),
      limit: z.number().int().min(1).max(10).default(5),
    }),
    async run({ query, limit }, ctx) {
      const hits = await searchKnowledge(deps, query, {
        k: limit,
        channelId: ctx.channelId,
        sources: ['slack'],
      });
      return {
        ok: true,
        summary: describe(hits),
        data: { hits },
        citations: hits.map((h) => ({ source: 'slack' as const, ref: h.id, title: h.title, url: h.url })),
        truncated: false,
      };
    },
  });
  return [knowledge, slack];
}
