import { createHash } from 'node:crypto';
import type { Embedder } from '../../data/knowledge-store';

/**
 * The offline default: a deterministic hashed bag of words, word bigrams and character trigrams
 * (signed feature hashing, sublinear weights, L2-normalized). No network, no model download;
 * good at lexical and near-lexical similarity, which is what runbook lookup mostly needs.
 */
const STOP = new Set(
  'the a an and or of in on for to is are was were be with at by from this that it as if then when what how why which do does can'.split(
    ' ',
  ),
);

function hash32(s: string): number {
  return createHash('md5').update(s).digest().readUInt32LE(0);
}

/** Crude stemming so "timeouts"/"timed out"/"timing" land near each other. */
export function stem(word: string): string {
  return word.replace(/(ing|ed|es|s|ly)$/, '').slice(0, 12) || word;
}

export function features(text: string): Map<string, number> {
  const words = (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => !STOP.has(w)).map(stem);
  const f = new Map<string, number>();
  const add = (k: string, w: number) => f.set(k, (f.get(k) ?? 0) + w);
  words.forEach((w, i) => {
    add(`w:${w}`, 1);
    if (i > 0) add(`b:${words[i - 1]} ${w}`, 0.5);
    const padded = `^${w}$`;
    for (let j = 0; j + 3 <= padded.length; j++) add(`c:${padded.slice(j, j + 3)}`, 0.25);
  });
  return f;
}

/** The local embedder's vector size (and the configured default, SRE_EMBEDDING_DIMENSIONS). */
export const LOCAL_EMBEDDING_DIMENSIONS = 384;

export class LocalEmbedder implements Embedder {
  readonly provider = 'local';
  readonly model = 'hashed-ngrams-v1';
  constructor(readonly dimensions = LOCAL_EMBEDDING_DIMENSIONS) {}

  embedOne(text: string): Float32Array {
    const v = new Float32Array(this.dimensions);
    for (const [k, w] of features(text)) {
      const h = hash32(k);
      v[h % this.dimensions]! += (h & 0x80000000 ? -1 : 1) * (1 + Math.log(w + 1));
    }
    let norm = 0;
    for (const x of v) norm += x * x;
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < v.length; i++) v[i]! /= norm;
    return v;
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    return texts.map((t) => this.embedOne(t));
  }
}
