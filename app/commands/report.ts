import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { openDatabase } from '../../data/db';
import { reportRows } from '../../data/report-queries';
import { aggregateReport } from '../report/aggregate';
import { renderReportHtml } from '../report/render-html';
import { renderReportText } from '../report/render-text';
import { commandEnv, printJson, UsageError } from './common';

/** How far back the report reads when no --since is given. */
const DEFAULT_REPORT_DAYS = 90;

export function register(program: Command): void {
  program
    .command('report')
    .description(
      'How the assistant is doing: helpful rate, confirmed-root-cause rate, time to first reply and to summary, tokens and cost, per service and per week',
    )
    .option('--json', 'print the report as one JSON object')
    .option('--html <file>', 'also write a self-contained HTML report with charts')
    .option('--since <date>', `ISO date to start from (default: ${DEFAULT_REPORT_DAYS} days ago)`)
    .option('--db <path>', 'SQLite file to read (default: SRE_DB_PATH)')
    .action((opts: { json?: boolean; html?: string; since?: string; db?: string }) => {
      const now = new Date();
      const since = opts.since ?? new Date(now.getTime() - DEFAULT_REPORT_DAYS * 86_400_000).toISOString();
      if (!Number.isFinite(Date.parse(since)))
        throw new UsageError(`--since must be an ISO date such as 2026-11-01 (got "${opts.since}")`);
      const db = openDatabase(opts.db ?? commandEnv().SRE_DB_PATH);
      try {
        const report = aggregateReport(
          reportRows(db, new Date(since).toISOString()),
          new Date(since).toISOString(),
          now,
        );
        if (opts.html) {
          writeFileSync(opts.html, renderReportHtml(report));
          process.stderr.write(`HTML report written to ${opts.html}\n`);
        }
        if (opts.json) printJson(report);
        else process.stdout.write(renderReportText(report));
      } finally {
        db.close();
      }
    });
}
