import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import type { IndexRunStats } from '../../data/cursors';
import { syncSource } from '../../indexer/sync';
import { knowledgeSourcesFromEnv } from '../knowledge/from-env';
import { indexScenario } from '../scenario/knowledge';
import { UsageError, withRuntime } from './common';

function statsLine(source: string, s: IndexRunStats): string {
  return `${source.padEnd(11)} fetched ${s.fetched}, changed ${s.changed}, deleted ${s.deleted}${s.errors.length ? `, errors: ${s.errors.join('; ')}` : ''}${s.warnings?.length ? `\n  warnings: ${s.warnings.join('\n  ')}` : ''}`;
}

export function register(program: Command): void {
  program
    .command('index')
    .description(
      'Index knowledge sources (Confluence, Notion, Slack, runbook folders; or a scenario) into the SQLite store',
    )
    .option('--scenario <dir>', "index a scenario's docs, past incidents and Slack history")
    .option(
      '--source <name>',
      'only this source (confluence, notion, slack, runbook; for a scenario: runbook, rootly, slack)',
    )
    .option(
      '--full',
      'ignore stored cursors and re-read everything (unchanged content is still not re-embedded)',
    )
    .action(async (opts: { scenario?: string; source?: string; full?: boolean }) => {
      await withRuntime({ scenarioDir: opts.scenario, quiet: true }, async (rt) => {
        const started = Date.now();
        const totals: IndexRunStats = { fetched: 0, changed: 0, deleted: 0, errors: [] };
        const add = (source: string, s: IndexRunStats) => {
          process.stderr.write(`${statsLine(source, s)}\n`);
          totals.fetched += s.fetched;
          totals.changed += s.changed;
          totals.deleted += s.deleted;
          totals.errors.push(...s.errors);
        };
        if (rt.sandbox) {
          const stats = await indexScenario(
            rt.db,
            rt.sandbox.scenario,
            rt.embedder,
            new Date(),
            rt.sandbox.url,
            rt.secrets,
          );
          for (const [source, s] of Object.entries(stats))
            if (!opts.source || opts.source === source) add(source, s);
        } else {
          const sources = knowledgeSourcesFromEnv(rt.env).filter(
            (s) => !opts.source || s.name === opts.source,
          );
          if (opts.source && sources.length === 0)
            throw new UsageError(
              `source "${opts.source}" is not configured; configured: ${
                knowledgeSourcesFromEnv(rt.env)
                  .map((s) => s.name)
                  .join(', ') || 'none'
              }`,
            );
          if (sources.length === 0)
            process.stderr.write(
              'No knowledge sources configured (see .env.sample: CONFLUENCE_*, NOTION_TOKEN, SRE_SLACK_INDEX_CHANNELS, SRE_RUNBOOK_DIRS), or pass --scenario <dir>.\n',
            );
          for (const [i, source] of sources.entries()) {
            process.stderr.write(`[${i + 1}/${sources.length}] ${source.name}…\n`);
            // A live bar for embedding progress on a terminal; plain lines when piped.
            const bar = process.stderr.isTTY
              ? new SingleBar({
                  format: `  embedding {bar} {value} chunks`,
                  stream: process.stderr,
                  hideCursor: true,
                })
              : undefined;
            bar?.start(0, 0);
            try {
              add(
                source.name,
                await syncSource(rt.db, rt.embedder, source, {
                  full: opts.full,
                  secrets: rt.secrets,
                  onProgress: (done, total) => {
                    bar?.setTotal(total);
                    bar?.update(done);
                  },
                }),
              );
            } catch (err) {
              add(source.name, {
                fetched: 0,
                changed: 0,
                deleted: 0,
                errors: [err instanceof Error ? err.message : String(err)],
              });
            } finally {
              bar?.stop();
            }
          }
        }
        process.stderr.write(
          `indexed: fetched ${totals.fetched}, changed ${totals.changed}, deleted ${totals.deleted}, errors ${totals.errors.length} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
        );
        if (totals.errors.length > 0) process.exitCode = 1;
      });
    });
}
