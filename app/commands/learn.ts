import type { Command } from 'commander';
import pc from 'picocolors';
import { createLlmClient } from '../../agent/llm/client';
import { activeLearningRun, disableLearning, listLearningRuns, rollbackLearning } from '../../data/learning';
import { exportFineTuning } from '../finetune/export';
import { submitFineTuning } from '../finetune/submit';
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
  learn
    .command('export')
    .description('Write positively rated investigation traces as fine-tuning JSONL (redacted, validated)')
    .requiredOption('--out <file>', 'the JSONL file to write')
    .option('--format <format>', 'output format (only openai-chat)', 'openai-chat')
    .option('--submit', 'upload the file and create a fine-tuning job (needs OPENAI_API_KEY)')
    .option('--model <model>', 'base model for --submit', 'gpt-4o-mini-2024-07-18')
    .option('--scenario <dir>', "use a scenario's database")
    .option('--json', 'print the export report as JSON')
    .action(
      async (opts: {
        out: string;
        format: string;
        submit?: boolean;
        model: string;
        scenario?: string;
        json?: boolean;
      }) => {
        if (opts.format !== 'openai-chat')
          throw new UsageError(`unknown --format ${opts.format} (supported: openai-chat)`);
        await withRuntime({ scenarioDir: opts.scenario, quiet: opts.json }, async (rt) => {
          const report = exportFineTuning(rt.db, {
            out: opts.out,
            secrets: rt.secrets,
            tools: rt.tools,
            catalog: rt.catalog,
          });
          let job: Awaited<ReturnType<typeof submitFineTuning>> | undefined;
          if (opts.submit) {
            if (!rt.llm) throw new UsageError('--submit needs OPENAI_API_KEY (or OPENAI_BASE_URL) to be set');
            if (report.written === 0)
              throw new UsageError('nothing to submit: no positively rated investigations');
            job = await submitFineTuning(createLlmClient(rt.llm), report.out, opts.model);
          }
          if (opts.json) return printJson({ ...report, ...(job ? { job } : {}) });
          process.stdout.write(
            `${report.written} examples written to ${report.out} (${report.skipped.length} investigations skipped)${
              job ? `\nFine-tuning job ${job.jobId} created on file ${job.fileId} (${job.status})` : ''
            }\n`,
          );
          if (report.written > 0 && report.written < 10)
            process.stderr.write('Note: OpenAI needs at least 10 examples to start a fine-tuning job.\n');
        });
      },
    );
  learn.addHelpText(
    'after',
    '\nLearned effects are bounded (agent/learning/defaults.ts) and explained where they are used.\nSRE_LEARNING=off ignores them; SRE_LEARN_CRON schedules this command inside `npm start`.',
  );
}
