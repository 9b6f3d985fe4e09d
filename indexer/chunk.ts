import { createHash } from 'node:crypto';
import { tokenCount } from '../lib/token-count';

/** Heading-aware chunking: sections keep their title path; long sections split on paragraphs. */
export const CHUNK_DEFAULTS = { targetTokens: 500, maxTokens: 600, overlapTokens: 60 } as const;

export type Chunk = { ord: number; titlePath: string; text: string; tokenCount: number; contentHash: string };

export function hashText(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

type Section = { path: string[]; lines: string[] };

function sections(title: string, markdown: string): Section[] {
  const out: Section[] = [{ path: [title], lines: [] }];
  const stack: { level: number; text: string }[] = [];
  for (const line of markdown.split('\n')) {
    const h = /^(#{1,6})\s+(.+?)\s*#*$/.exec(line);
    if (h) {
      const level = h[1]!.length;
      while (stack.length && stack.at(-1)!.level >= level) stack.pop();
      stack.push({ level, text: h[2]! });
      const path = [title, ...stack.map((s) => s.text).filter((t) => t !== title)];
      out.push({ path, lines: [] });
    } else out.at(-1)!.lines.push(line);
  }
  return out.filter((s) => s.lines.join('').trim().length > 0);
}

/** Splits units (paragraphs or messages) into windows of about targetTokens, overlapping. */
export function packUnits(units: readonly string[], opts = CHUNK_DEFAULTS): string[] {
  const out: string[] = [];
  let current: string[] = [];
  let size = 0;
  for (const unit of units) {
    const t = tokenCount(unit);
    if (size + t > opts.maxTokens && current.length > 0) {
      out.push(current.join('\n\n'));
      // Carry the tail forward so an answer spanning the cut is still found.
      const tail: string[] = [];
      let carried = 0;
      for (let i = current.length - 1; i >= 0 && carried < opts.overlapTokens; i--) {
        tail.unshift(current[i]!);
        carried += tokenCount(current[i]!);
      }
      current = carried <= opts.overlapTokens * 2 ? tail : [];
      size = current.reduce((a, u) => a + tokenCount(u), 0);
    }
    current.push(unit);
    size += t;
  }
  if (current.length > 0) out.push(current.join('\n\n'));
  return out;
}

export function chunkMarkdown(title: string, markdown: string, opts = CHUNK_DEFAULTS): Chunk[] {
  const chunks: Chunk[] = [];
  for (const s of sections(title, markdown)) {
    const paragraphs = s.lines
      .join('\n')
      .split(/\n\s*\n/)
      .map((p) => p.trim())
      .filter(Boolean);
    for (const text of packUnits(paragraphs, opts)) {
      const titlePath = s.path.join(' > ');
      chunks.push({
        ord: chunks.length,
        titlePath,
        text,
        tokenCount: tokenCount(text),
        contentHash: hashText(`${titlePath}\n${text}`),
      });
    }
  }
  return chunks;
}

/** A Slack thread is one unit; long threads split on message boundaries. */
export function chunkMessages(title: string, messages: readonly string[], opts = CHUNK_DEFAULTS): Chunk[] {
  return packUnits(messages, opts).map((text, ord) => ({
    ord,
    titlePath: title,
    text,
    tokenCount: tokenCount(text),
    contentHash: hashText(`${title}\n${text}`),
  }));
}
