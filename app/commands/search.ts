import type { Command } from 'commander';
import { redactDeep } from '../../lib/redact';
import { searchKnowledge } from '../../tools/knowledge/search';
import { printJson, withRuntime } from './common';

export function register(program: Command): void {
  program
    .command('search')
    .description('Search the knowledge base (hybrid vector + BM25 retrieval)')
    .argument('<query>', 'what to look for')
    .option('--scenario <dir>', "search a scenario's docs, incidents and Slack (indexed on first use)")
    .option('--limit <n>', 'number of hits', '5')
    .option('--channel <id>', 'the Slack channel asking (private-channel knowledge is only visible there)')
    .option('--json', 'print { hits: [{ id, title, url, source, score, snippet }] }')
    .action(
      async (query: string, opts: { scenario?: string; limit: string; channel?: string; json?: boolean }) => {
        await withRuntime({ scenarioDir: opts.scenario, quiet: true }, async (rt) => {
          // Chunks are redacted when indexed; this also covers ones an older version stored.
          const hits = redactDeep(
            await searchKnowledge({ db: rt.db, embedder: rt.embedder }, query, {
              k: Math.max(1, Number(opts.limit) || 5),
              channelId: opts.channel,
            }),
            rt.secrets,
          );
          if (opts.json)
            return printJson({
              hits: hits.map(({ id, title, url, source, score, snippet }) => ({
                id,
                title,
                url: url ?? null,
                source,
                score,
                snippet,
              })),
            });
          if (hits.length === 0) process.stdout.write('No hits.\n');
          hits.forEach((h, i) => {
            process.stdout.write(
              `${i + 1}. ${h.title} [${h.source}] ${h.id} (${h.score})\n   ${h.url ?? ''}\n   ${h.snippet}\n`,
            );
          });
        });
      },
    );
}
