import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseFrontMatter } from '../../sandbox/scenario';
import { chunkMarkdown, hashText } from '../chunk';
import type { SourceDocument } from '../pipeline';
import type { KnowledgeSource } from './source';

/** Markdown runbooks in local folders: id = path relative to the folder, front matter title/url. */
export function runbookDocuments(root: string): SourceDocument[] {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.md')) files.push(full);
    }
  };
  walk(root);
  return files.map((file) => {
    const { meta, body } = parseFrontMatter(readFileSync(file, 'utf8'));
    const id = relative(root, file).split('\\').join('/');
    const title = typeof meta.title === 'string' ? meta.title : (/^#\s+(.+)$/m.exec(body)?.[1] ?? id);
    return {
      source: 'runbook',
      externalId: id,
      title,
      url: typeof meta.url === 'string' ? meta.url : undefined,
      space: root,
      updatedAt: statSync(file).mtime.toISOString(),
      contentHash: hashText(`${title}\n${body}`),
      chunks: chunkMarkdown(title, body),
    };
  });
}

/** Folders are cheap to read whole; unchanged pages (same hash) are never re-embedded. */
export function runbookSource(dirs: readonly string[]): KnowledgeSource {
  return {
    name: 'runbook',
    async fetch() {
      const docs = dirs.flatMap(runbookDocuments);
      return { docs, presentIds: new Set(docs.map((d) => d.externalId)) };
    },
  };
}
