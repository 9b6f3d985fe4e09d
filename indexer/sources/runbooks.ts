import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { chunkMarkdown, hashText } from '../chunk';
import { parseFrontMatter } from '../front-matter';
import type { SourceDocument } from '../pipeline';
import type { KnowledgeSource } from './source';

export type RunbookFolder = { docs: SourceDocument[]; warnings: string[] };

const reason = (err: unknown) => (err instanceof Error ? err.message : String(err));

function markdownFiles(root: string, warnings: string[]): string[] {
  const files: string[] = [];
  const walk = (d: string) => {
    let names: string[];
    try {
      names = readdirSync(d).sort();
    } catch (err) {
      warnings.push(`${d}: cannot be read (${reason(err)}); skipped`);
      return;
    }
    for (const name of names) {
      const full = join(d, name);
      if (statSync(full, { throwIfNoEntry: false })?.isDirectory()) walk(full);
      else if (name.endsWith('.md')) files.push(full);
    }
  };
  walk(root);
  return files;
}

function runbookDocument(root: string, file: string, warnings: string[]): SourceDocument | undefined {
  let text: string;
  let modified: Date;
  try {
    text = readFileSync(file, 'utf8');
    modified = statSync(file).mtime;
  } catch (err) {
    warnings.push(`${file}: cannot be read (${reason(err)}); skipped`);
    return undefined;
  }
  const { meta, body, warning } = parseFrontMatter(text);
  if (warning) warnings.push(`${file}: ${warning}`);
  const id = relative(root, file).split('\\').join('/');
  const title = typeof meta.title === 'string' ? meta.title : (/^#\s+(.+)$/m.exec(body)?.[1] ?? id);
  return {
    source: 'runbook',
    externalId: id,
    title,
    url: typeof meta.url === 'string' ? meta.url : undefined,
    space: root,
    updatedAt: modified.toISOString(),
    contentHash: hashText(`${title}\n${body}`),
    chunks: chunkMarkdown(title, body),
  };
}

/**
 * Markdown runbooks in a local folder: id = path relative to the folder, front matter title/url.
 * A page that cannot be read, or whose front matter is broken, costs only itself (a warning
 * naming the file), never the folder.
 */
export function runbookDocuments(root: string): RunbookFolder {
  const warnings: string[] = [];
  const docs = markdownFiles(root, warnings)
    .map((file) => runbookDocument(root, file, warnings))
    .filter((d): d is SourceDocument => d !== undefined);
  return { docs, warnings };
}

/** Folders are cheap to read whole; unchanged pages (same hash) are never re-embedded. */
export function runbookSource(dirs: readonly string[]): KnowledgeSource {
  return {
    name: 'runbook',
    async fetch() {
      const folders = dirs.map(runbookDocuments);
      const docs = folders.flatMap((f) => f.docs);
      return {
        docs,
        presentIds: new Set(docs.map((d) => d.externalId)),
        warnings: folders.flatMap((f) => f.warnings),
      };
    },
  };
}
