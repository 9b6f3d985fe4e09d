import type OpenAI from 'openai';
import type { Embedder } from '../../data/knowledge-store';

/**
 * Any OpenAI-compatible /v1/embeddings endpoint, batched. The openai client asks for base64 by
 * default and decodes it; vectors are re-normalized so cosine distances stay comparable.
 */
export const EMBED_BATCH_SIZE = 96;

export class OpenAIEmbedder implements Embedder {
  readonly provider = 'openai';
  constructor(
    private readonly client: OpenAI,
    readonly model: string,
    readonly dimensions: number,
  ) {}

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += EMBED_BATCH_SIZE) {
      const batch = texts.slice(i, i + EMBED_BATCH_SIZE).map((t) => t.slice(0, 24_000) || ' ');
      const res = await this.client.embeddings.create({
        model: this.model,
        input: batch,
        dimensions: this.dimensions,
      });
      const ordered = [...res.data].sort((a, b) => a.index - b.index);
      for (const d of ordered) {
        const v = Float32Array.from(d.embedding as number[]);
        if (v.length !== this.dimensions)
          throw new Error(
            `embedding model ${this.model} returned ${v.length} dimensions, expected ${this.dimensions} (SRE_EMBEDDING_DIMENSIONS)`,
          );
        const norm = Math.hypot(...v) || 1;
        out.push(v.map((x) => x / norm));
      }
    }
    return out;
  }
}
