import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import pc from 'picocolors';
import type { InvestigationResult } from '../../agent/result';
import { openDatabase } from '../../data/db';
import { getInvestigation, getSteps } from '../../data/investigations';
import { redactDeep } from '../../lib/redact';
import { secretValues } from '../config';
import { renderSummary } from '../present/terminal';
import { commandEnv, printJson } from './common';

/** The main DB and every per-scenario DB beside it: where a past investigation may live. */
function candidateDbs(dbPath: string): string[] {
  const dir = join(resolve(dbPath, '..'), 'scenarios');
  const scenarioDbs = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.db'))
        .map((f) => join(dir, f))
    : [];
  return [dbPath, ...scenarioDbs].filter((p) => existsSync(p));
}

export function register(program: Command): void {
  program
    .command('show')
    .description("Print a past investigation's full trace: every step, tool call and the summary")
    .argument('<id>', 'investigation id (inv_...)')
    .option('--json', 'print the stored InvestigationResult and trace as JSON')
    .action(async (id: string, opts: { json?: boolean }) => {
      const env = commandEnv();
      for (const path of candidateDbs(env.SRE_DB_PATH)) {
        const db = openDatabase(path);
        try {
          const stored = getInvestigation(db, id);
          if (!stored) continue;
          // Stored redacted; redacted again with today's secrets, for rows an older version wrote.
          const secrets = secretValues(env);
          const inv = redactDeep(stored, secrets);
          const steps = redactDeep(getSteps(db, id), secrets);
          if (opts.json) return printJson({ ...inv, steps });
          const out = [
            `${pc.bold(id)} ${pc.dim(`${inv.status} · ${inv.planner} · started ${inv.startedAt}`)}`,
          ];
          for (const s of steps) {
            out.push(`\n${pc.cyan(`Step ${s.n}`)} ${s.thought}`);
            for (const c of s.calls)
              out.push(
                `  ${c.ok ? pc.green('✓') : pc.red('✗')} ${c.tool} ${pc.dim(JSON.stringify(c.input))} ${pc.dim(`${c.ms} ms`)}\n${c.summary
                  .split('\n')
                  .map((l) => `      ${l}`)
                  .join('\n')}`,
              );
          }
          if (inv.result) out.push(renderSummary(inv.result as InvestigationResult));
          process.stdout.write(`${out.join('\n')}\n`);
          return;
        } finally {
          db.close();
        }
      }
      process.stderr.write(`No investigation ${id} in ${env.SRE_DB_PATH} (or its scenario databases).\n`);
      process.exitCode = 1;
    });
}
