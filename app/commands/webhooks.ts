import type { Command } from 'commander';
import type { Db } from '../../data/db';
import { openDatabase } from '../../data/db';
import {
  type DeadLetter,
  getDeadLetter,
  listDeadLetters,
  markReplayed,
} from '../../data/webhook-dead-letters';
import { redactDeep } from '../../lib/redact';
import { secretValues } from '../config';
import { REPLAY_HEADER } from '../http/webhook';
import { commandEnv, printJson, UsageError } from './common';

/** A replay waits this long for the app's answer (the webhook answers once the thread is open). */
const REPLAY_TIMEOUT_MS = 15_000;
const PREVIEW_CHARS = 120;

/** One line per dead letter: id, when, what was wrong, the start of the (redacted) body. */
export function renderDeadLetters(rows: readonly DeadLetter[]): string {
  if (rows.length === 0) return 'No failed webhook deliveries.\n';
  return `${rows
    .map((r) => {
      const preview = r.body.replace(/\s+/g, ' ').slice(0, PREVIEW_CHARS);
      const replayed = r.replayedAt ? `  (replayed ${r.replayedAt}: ${r.replayResult})` : '';
      return `#${r.id}  ${r.receivedAt}  ${r.error}${replayed}\n      ${preview}`;
    })
    .join('\n')}\n`;
}

export type ReplayOutcome = { ok: boolean; status?: number; message: string };

/**
 * Re-submits a kept body to the running app's POST /webhooks/datadog: the same intake a
 * delivery from DataDog goes through (parsing, alert cycles, the thread). A body the app now
 * takes marks the dead letter replayed; one it still refuses stays listed.
 */
export async function replayDeadLetter(
  db: Db,
  id: number,
  target: { url: string; secret: string },
  now: Date = new Date(),
): Promise<ReplayOutcome> {
  const letter = getDeadLetter(db, id);
  if (!letter) return { ok: false, message: `No failed webhook delivery #${id}.` };
  let res: Response;
  try {
    res = await fetch(`${target.url.replace(/\/+$/, '')}/webhooks/datadog`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-sre-webhook-secret': target.secret,
        [REPLAY_HEADER]: String(id),
      },
      body: letter.body,
      signal: AbortSignal.timeout(REPLAY_TIMEOUT_MS),
    });
  } catch (err) {
    return {
      ok: false,
      message: `Could not reach the app at ${target.url} (is \`npm start\` running?): ${(err as Error).message}`,
    };
  }
  const answer = await res.text();
  if (res.status >= 200 && res.status < 300) {
    markReplayed(db, id, `${res.status} ${answer}`.slice(0, 500), now);
    return { ok: true, status: res.status, message: `#${id} accepted (${res.status}): ${answer}` };
  }
  return { ok: false, status: res.status, message: `#${id} refused again (${res.status}): ${answer}` };
}

export function register(program: Command): void {
  program
    .command('webhooks')
    .description(
      'DataDog webhook deliveries that could not be used: list them, or replay one into the running app',
    )
    .option('--failed', 'list the kept bodies (redacted) and what was wrong with each')
    .option('--all', 'with --failed: include the ones already replayed')
    .option('--replay <id>', 're-submit one to POST /webhooks/datadog of the running app')
    .option('--url <url>', 'with --replay: where the app listens (default: http://127.0.0.1:$PORT)')
    .option('--db <path>', 'SQLite file to read (default: SRE_DB_PATH)')
    .option('--json', 'print JSON')
    .action(
      async (opts: {
        failed?: boolean;
        all?: boolean;
        replay?: string;
        url?: string;
        db?: string;
        json?: boolean;
      }) => {
        if (!opts.failed === !opts.replay)
          throw new UsageError('webhooks: give exactly one of --failed or --replay <id>');
        if (opts.replay !== undefined && !/^\d+$/.test(opts.replay))
          throw new UsageError(
            `--replay takes a dead letter's number, as --failed lists it (got "${opts.replay}")`,
          );
        const env = commandEnv();
        const db = openDatabase(opts.db ?? env.SRE_DB_PATH);
        try {
          if (opts.failed) {
            // Stored redacted; redacted again with today's secrets, as `show` and `search` do.
            const rows = redactDeep(listDeadLetters(db, { includeReplayed: opts.all }), secretValues(env));
            if (opts.json) printJson({ failed: rows });
            else process.stdout.write(renderDeadLetters(rows));
            return;
          }
          if (!env.SRE_WEBHOOK_SECRET)
            throw new UsageError('--replay needs SRE_WEBHOOK_SECRET, as the app uses it');
          const outcome = await replayDeadLetter(db, Number(opts.replay), {
            url: opts.url ?? `http://127.0.0.1:${env.PORT}`,
            secret: env.SRE_WEBHOOK_SECRET,
          });
          if (opts.json) printJson(outcome);
          else (outcome.ok ? process.stdout : process.stderr).write(`${outcome.message}\n`);
          if (!outcome.ok) process.exitCode = 1;
        } finally {
          db.close();
        }
      },
    );
}
