import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Command } from 'commander';
import { chunkMarkdown, hashText } from '../../indexer/chunk';
import { type SourceDocument, syncDocuments } from '../../indexer/pipeline';
import { indexScenario } from '../../indexer/scenario';
import { parseFrontMatter } from '../../sandbox/scenario';
import { UsageError, withRuntime } from './common';

/** Markdown runbooks in a folder: id = path relative to the folder, front matter title/url. */
export function runbookDocuments(root: string): SourceDocument[] {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
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

export function register(program: Command): void {
  program
    .command('index')
    .description(
      'Index knowledge sources into the SQLite store (a scenario, or the configured runbook folders)',
    )
    .option('--scenario <dir>', "index a scenario's docs, past incidents and Slack history")
    .option('--source <name>', 'only this source (runbook, rootly, slack)')
    .option('--full', 'ignore cursors and re-read everything (unchanged content is still not re-embedded)')
    .action(async (opts: { scenario?: string; source?: string; full?: boolean }) => {
      await withRuntime({ scenarioDir: opts.scenario, quiet: true }, async (rt) => {
        const started = Date.now();
        const report = (
          source: string,
          s: { fetched: number; changed: number; deleted: number; errors: string[] },
        ) =>
          process.stderr.write(
            `${source.padEnd(8)} fetched ${s.fetched}, changed ${s.changed}, deleted ${s.deleted}${s.errors.length ? `, errors: ${s.errors.join('; ')}` : ''}\n`,
          );
        if (rt.sandbox) {
          const stats = await indexScenario(rt.db, rt.sandbox.scenario, rt.embedder);
          for (const [source, s] of Object.entries(stats))
            if (!opts.source || opts.source === source) report(source, s);
        } else {
          if (opts.source && opts.source !== 'runbook')
            throw new UsageError(
              `source "${opts.source}" is not configured here; configured sources: runbook (SRE_RUNBOOK_DIRS)`,
            );
          const dirs = rt.env.SRE_RUNBOOK_DIRS.filter((d) => existsSync(d));
          if (dirs.length === 0)
            process.stderr.write('No sources configured: set SRE_RUNBOOK_DIRS, or pass --scenario <dir>.\n');
          for (const dir of dirs)
            report(
              `runbook:${dir}`,
              await syncDocuments(rt.db, rt.embedder, 'runbook', runbookDocuments(dir), {
                complete: true,
                now: new Date(),
              }),
            );
        }
        process.stderr.write(`done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
      });
    });
}
