import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { LLM_DEFAULTS, type LlmConfig } from '../../agent/llm/client';
import { createLogger } from '../logger';
import { llmFromEnv } from '../runtime';
import { evaluateScenarioDirs } from '../scenario/eval-run';
import { aggregateScores } from '../scenario/eval-score';
import {
  renderByClass,
  renderCalibration,
  renderComparison,
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
    .option(
      '--llm',
      'also run every world through the configured model (SRE_LLM_MODE: hybrid or llm) and print it beside the offline column: hit@1, hit@3, calibration, tokens, cost, wall time',
    )
    .option('--json', 'print one JSON object with every row and the totals')
    .option('--markdown', 'print the by-class and calibration tables as Markdown (for the README)')
    .action(async (opts: EvalOptions) => {
      if (!opts.scenarios === !opts.generated)
        throw new UsageError('give exactly one of --scenarios <dir> or --generated <seeds>');
      const env = commandEnv();
      const model = opts.llm ? llmFromEnv(env) : undefined;
      if (opts.llm && !model)
        throw new UsageError(
          env.SRE_LLM_MODE === 'offline'
            ? '--llm needs a model, but SRE_LLM_MODE=offline'
            : '--llm needs a model: set OPENAI_API_KEY and/or OPENAI_BASE_URL (and SRE_LLM_MODEL)',
        );
      if (opts.llm && opts.markdown)
        throw new UsageError('--markdown prints the offline tables; leave out --llm');
      const source = opts.generated ? { generated: opts.generated } : { scenarios: opts.scenarios! };
      try {
        await withWorlds(source, async ({ root, dirs, generated }) => {
          const rows = await evaluateScenarioDirs(dirs, {
            env,
            logger: createLogger('silent'),
            // Generated worlds are scored from a clean slate each: nothing learned from another world.
            dbPathFor: generated ? () => ':memory:' : undefined,
            planners: model ? ['offline', 'configured'] : ['configured'],
            onRow: (row) => {
              if (!opts.json)
                process.stderr.write(
                  `  ${row.scenario}${model ? ` (${row.run === 'offline' ? 'offline' : model.model})` : ''}: ${row.failure ? `FAILED (${row.failure})` : `top suspect ${row.topRef ?? '(none)'}`}\n`,
                );
            },
          });
          if (model) await compare(rows, model, opts);
          else await report(rows, root, opts);
        });
      } catch (err) {
        if (err instanceof WorldsError) throw new UsageError(err.message);
        throw err;
      }
    });
}

type EvalOptions = {
  scenarios?: string;
  generated?: string;
  llm?: boolean;
  json?: boolean;
  markdown?: boolean;
};

/** `eval --llm`: the model's rows, then the offline and model columns side by side. */
async function compare(
  rows: Awaited<ReturnType<typeof evaluateScenarioDirs>>,
  model: LlmConfig,
  opts: EvalOptions,
): Promise<void> {
  const offline = rows.filter((r) => r.run === 'offline');
  const modelRows = rows.filter((r) => r.run === 'configured');
  const columns = [
    { label: 'offline', totals: aggregateScores(offline) },
    { label: `${model.mode ?? LLM_DEFAULTS.mode} ${model.model}`, totals: aggregateScores(modelRows) },
  ];
  if (opts.json) return printJson({ rows: modelRows, offlineRows: offline, columns });
  process.stdout.write(renderRows(modelRows));
  process.stdout.write(renderComparison(columns));
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
