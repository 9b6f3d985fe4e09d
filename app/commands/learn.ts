import type { Command } from 'commander';
import pc from 'picocolors';
import { activeLearningRun, disableLearning, listLearningRuns, rollbackLearning } from '../../data/learning';
import { describeChanges } from '../learning/diff';
import { runLearning } from '../learning/run-learning';
import { printJson, UsageError, withRuntime } from './common';

type LearnOptions = {
  scenario?: string;
  json?: boolean;
  rollback?: boolean;
  off?: boolean;
  status?: boolean;
};

export function register(program: Command): void {
  const learn = program
    .command('learn')
    .description(
      'Learn from feedback: link resolved Rootly incidents, then recompute tool priors, retrieval boosts, suspect calibration and worked examples (a new, reversible run)',
    )
    .option('--scenario <dir>', "use a scenario's sandbox (its Rootly) and database")
    .option('--json', 'print the learning report as JSON')
    .option('--rollback', 'go back to the previous learning run')
    .option('--off', 'switch learned priors off (runs are kept; `learn` turns them on again)')
    .option('--status', 'list learning runs and which one is active')
    .action(async (opts: LearnOptions) => {
      if ([opts.rollback, opts.off, opts.status].filter(Boolean).length > 1)
        throw new UsageError('choose one of --rollback, --off and --status');
      await withRuntime({ scenarioDir: opts.scenario, quiet: opts.json }, async (rt) => {
        if (opts.rollback || opts.off) {
          if (opts.off) disableLearning(rt.db);
          const active = opts.off ? null : rollbackLearning(rt.db);
          const out = { active };
          if (opts.json) return printJson(out);
          process.stdout.write(
            active === null
              ? 'Learning is off: investigations use the defaults.\n'
              : `Active learning run: #${active}.\n`,
          );
          return;
        }
        if (opts.status) {
          const runs = listLearningRuns(rt.db);
          if (opts.json) return printJson({ runs });
          if (runs.length === 0) process.stdout.write('No learning runs yet: run `npm run sre -- learn`.\n');
          for (const r of runs)
            process.stdout.write(
              `${r.active ? pc.green('●') : '○'} #${r.id} ${r.createdAt} ${JSON.stringify(r.stats)}\n`,
            );
          return;
        }
        const report = await runLearning({
          db: rt.db,
          embedder: rt.embedder,
          rootly: rt.rootly,
          logger: rt.logger,
        });
        if (opts.json) return printJson(report);
        const o = report.outcomes;
        process.stdout.write(
          [
            `${pc.bold(`Learning run #${report.runId}`)} (active; \`learn --rollback\` reverts it)`,
            `${report.investigations} investigations read, ${report.rated} with feedback or outcomes`,
            rt.rootly
              ? `Rootly: ${o.fetched} resolved incidents read, ${o.linked} newly linked${o.error ? pc.yellow(` (could not read: ${o.error})`) : ''}`
              : 'Rootly: not configured (ROOTLY_API_TOKEN), no outcomes linked',
            `${report.priors} priors, ${report.examples} worked examples`,
            report.changes.length
              ? `\nChanged:\n${describeChanges(report.changes).join('\n')}`
              : 'Nothing changed.',
          ].join('\n') + '\n',
        );
        if (!activeLearningRun(rt.db)) process.exitCode = 1;
      });
    });
  learn.addHelpText(
    'after',
    '\nLearned effects are bounded (agent/learning/defaults.ts) and explained where they are used.\nSRE_LEARNING=off ignores them; SRE_LEARN_CRON schedules this command inside `npm start`.',
  );
}
