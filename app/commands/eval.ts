import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { createLogger } from '../logger';
import { evaluateScenarioDirs } from '../scenario/eval-run';
import { aggregateScores } from '../scenario/eval-score';
import {
  renderByClass,
  renderCalibration,
  renderMarkdown,
  renderRows,
  renderTotals,
} from '../scenario/eval-table';
import { evaluateRetrieval } from '../scenario/retrieval-eval';
import { WorldsError, withWorlds } from '../scenario/worlds';
import { commandEnv, printJson, UsageError } from './common';

const pct = (x: number | null) => (x === null ? '  -' : `${Math.round(x * 100)}%`.padStart(4));

export function register(program: Command): void {
  program
    .command('eval')
    .description('Investigate every scenario that has a truth.json and print a score table')
    .option('--scenarios <dir>', 'folder of scenario folders')
    .option(
      '--generated <seeds>',
      'generate worlds for these seeds (e.g. 1000..1199, the validation range) into a temporary folder and score them',
    )
    .option('--json', 'print one JSON object with every row and the totals')
    .option('--markdown', 'print the by-class and calibration tables as Markdown (for the README)')
    .action(async (opts: { scenarios?: string; generated?: string; json?: boolean; markdown?: boolean }) => {
      if (!opts.scenarios === !opts.generated)
        throw new UsageError('give exactly one of --scenarios <dir> or --generated <seeds>');
      const source = opts.generated ? { generated: opts.generated } : { scenarios: opts.scenarios! };
      try {
        await withWorlds(source, async ({ root, dirs, generated }) => {
          const rows = await evaluateScenarioDirs(dirs, {
            env: commandEnv(),
            logger: createLogger('silent'),
            // Generated worlds are scored from a clean slate each: nothing learned from another world.
            dbPathFor: generated ? () => ':memory:' : undefined,
            onRow: (row) => {
              if (!opts.json)
                process.stderr.write(
                  `  ${row.scenario}: ${row.failure ? `FAILED (${row.failure})` : `top suspect ${row.topRef ?? '(none)'}`}\n`,
                );
            },
          });
          await report(rows, root, opts);
        });
      } catch (err) {
        if (err instanceof WorldsError) throw new UsageError(err.message);
        throw err;
      }
    });
}

async function report(
  rows: Awaited<ReturnType<typeof evaluateScenarioDirs>>,
  root: string,
  opts: { json?: boolean; markdown?: boolean },
): Promise<void> {
  const totals = aggregateScores(rows);
  const retrieval = existsSync(join(root, 'retrieval-queries.json'))
    ? await evaluateRetrieval(root)
    : undefined;
  if (opts.json) return printJson({ rows, totals, retrieval });
  if (opts.markdown) return void process.stdout.write(renderMarkdown(totals));
  process.stdout.write(renderRows(rows));
  process.stdout.write(renderByClass(totals));
  process.stdout.write(renderCalibration(totals));
  if (retrieval)
    process.stdout.write(
      `\nRetrieval (${retrieval.queries} labeled queries over ${retrieval.documents} pooled docs): recall@${retrieval.k} hybrid ${pct(retrieval.hybrid)}, vector ${pct(retrieval.vector)}, text ${pct(retrieval.text)}; top-1 hybrid ${pct(retrieval.top1.hybrid)}, vector ${pct(retrieval.top1.vector)}, text ${pct(retrieval.top1.text)}\n`,
    );
  process.stdout.write(renderTotals(totals));
}
