import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { investigate } from '../../agent/investigate';
import { evaluateRetrieval } from '../../indexer/eval-retrieval';
import { listScenarioDirs } from '../../sandbox/scenario';
import { aggregateScores, type ScenarioScore, scoreScenario } from '../eval-score';
import { printJson, UsageError, withRuntime } from './common';

const pct = (x: number | null) => (x === null ? '  -' : `${Math.round(x * 100)}%`.padStart(4));
const yn = (x: boolean | null) => (x === null ? '-' : x ? 'yes' : 'no');

export function register(program: Command): void {
  program
    .command('eval')
    .description('Investigate every scenario that has a truth.json and print a score table')
    .requiredOption('--scenarios <dir>', 'folder of scenario folders')
    .option('--json', 'print one JSON object with every row and the totals')
    .action(async (opts: { scenarios: string; json?: boolean }) => {
      const dirs = listScenarioDirs(opts.scenarios);
      if (dirs.length === 0)
        throw new UsageError(`no scenario folders (with scenario.json) in ${opts.scenarios}`);
      const rows: ScenarioScore[] = [];
      for (const dir of dirs) {
        await withRuntime({ scenarioDir: dir, quiet: true }, async (rt) => {
          const truth = rt.sandbox!.scenario.truth;
          if (!truth) return;
          const result = await investigate({ alert: rt.alertFromScenario!, runtime: rt });
          rows.push(scoreScenario(rt.sandbox!.scenario.manifest.id, result, truth));
          if (!opts.json)
            process.stderr.write(
              `  ${rt.sandbox!.scenario.manifest.id}: top suspect ${result.summary.suspects[0]?.ref ?? '(none)'}\n`,
            );
        });
      }
      const totals = aggregateScores(rows);
      const retrieval = existsSync(join(opts.scenarios, 'retrieval-queries.json'))
        ? await evaluateRetrieval(opts.scenarios)
        : undefined;
      if (opts.json) return printJson({ rows, totals, retrieval });
      const header = `${'scenario'.padEnd(30)} hit@1 hit@3 rank runbook similar conf   steps tools  wall`;
      process.stdout.write(`${header}\n${'-'.repeat(header.length)}\n`);
      for (const r of rows) {
        process.stdout.write(
          `${r.scenario.padEnd(30)} ${yn(r.hit1).padEnd(5)} ${yn(r.hit3).padEnd(5)} ${String(r.rank ?? '-').padEnd(4)} ${yn(r.runbook).padEnd(7)} ${yn(r.similarIncident).padEnd(7)} ${r.confidence.padEnd(6)} ${String(r.steps).padStart(5)} ${String(r.toolCalls).padStart(5)} ${`${(r.wallMs / 1000).toFixed(2)}s`.padStart(6)}\n`,
        );
      }
      process.stdout.write(
        `${retrieval ? `\nRetrieval (${retrieval.queries} labeled queries over ${retrieval.documents} pooled docs): recall@${retrieval.k} hybrid ${pct(retrieval.hybrid)}, vector ${pct(retrieval.vector)}, text ${pct(retrieval.text)}; top-1 hybrid ${pct(retrieval.top1.hybrid)}, vector ${pct(retrieval.top1.vector)}, text ${pct(retrieval.top1.text)}` : ''}` +
          `\n${rows.length} scenarios: hit@1 ${pct(totals.hit1)}, hit@3 ${pct(totals.hit3)}, runbook recall ${pct(totals.runbookRecall)}, similar-incident recall ${pct(totals.similarIncidentRecall)}, mean ${totals.meanSteps.toFixed(1)} steps, ${(totals.meanWallMs / 1000).toFixed(2)} s\n`,
      );
    });
}
