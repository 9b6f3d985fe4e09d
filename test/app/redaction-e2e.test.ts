import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { App } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnv } from '../../app/config';
import { silentLogger } from '../../app/logger';
import { createRuntime, type Runtime } from '../../app/runtime';
import { slackState } from '../../sandbox/routes/slack';
import { signedSlackHeaders } from '../../sandbox/slack-signature';
import { DEMO } from '../tools/helpers';
import { startSlackApp } from './slack/harness';

/**
 * Configured secret values planted in the world's data, where no secret pattern would catch
 * them: the GITHUB_TOKEN value in the culprit commit's message, the webhook secret in a runbook.
 * Neither may appear in the Slack summary, the CLI's output, the DB rows or the indexed chunks;
 * each place must show the redaction marker, proving the planted text did reach it.
 */
const GITHUB_TOKEN = 'PlantedGithubValue7Fq9Lw2Xv8';
const WEBHOOK_SECRET = 'PlantedWebhookValue4Hs7Kp2Mx9';
const SIGNING_SECRET = 'redaction-signing-secret-0123456789';
const MARK = '[REDACTED:configured-secret]';
const leaks = (text: string) => [GITHUB_TOKEN, WEBHOOK_SECRET].filter((s) => text.includes(s));

function plantedWorld(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'planted-')), 'world');
  cpSync(DEMO, dir, { recursive: true });
  const repoFile = join(dir, 'github/acme/checkout.json');
  const repo = JSON.parse(readFileSync(repoFile, 'utf8')) as { commits: { sha: string; message: string }[] };
  const culprit = repo.commits.find((c) => c.sha.startsWith('7c1e9a4'))!;
  culprit.message = culprit.message.replace('\n', ` (ci ran with ${GITHUB_TOKEN})\n`);
  writeFileSync(repoFile, JSON.stringify(repo, null, 2));
  const doc = join(dir, 'docs/runbooks/checkout-errors.md');
  writeFileSync(
    doc,
    `${readFileSync(doc, 'utf8')}\n## Break-glass\nThe webhook shared value is ${WEBHOOK_SECRET} and CI uses ${GITHUB_TOKEN}.\n`,
  );
  return dir;
}

/** Every row of every table, as text. */
function dump(runtime: Runtime): string {
  const tables = runtime.db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    .all() as { name: string }[];
  return tables
    .map((t) => {
      try {
        return JSON.stringify(runtime.db.prepare(`SELECT * FROM "${t.name}"`).all());
      } catch {
        return ''; // virtual tables whose module answers only vector queries
      }
    })
    .join('\n');
}

const exec = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
async function sre(args: string[], dbPath: string): Promise<string> {
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    SRE_DB_PATH: dbPath,
    NO_COLOR: '1',
    GITHUB_TOKEN,
    SRE_WEBHOOK_SECRET: WEBHOOK_SECRET,
  };
  try {
    return (
      await exec(process.execPath, ['--import', 'tsx', 'app/cli.ts', ...args], {
        cwd: root,
        env,
        maxBuffer: 20 * 1024 * 1024,
      })
    ).stdout;
  } catch (err) {
    return (err as { stdout: string }).stdout;
  }
}

async function until<T>(what: () => T | undefined, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = what();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('configured secret values are redacted everywhere', { timeout: 180_000 }, () => {
  const world = plantedWorld();
  let runtime: Runtime;
  let app: App;
  let base: string;

  beforeAll(async () => {
    const env = parseEnv({
      SRE_DB_PATH: join(mkdtempSync(join(tmpdir(), 'redaction-')), 'sre.db'),
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SRE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      GITHUB_TOKEN,
      SRE_PROGRESS_UPDATE_MS: '250',
    });
    runtime = await createRuntime({ env, logger: silentLogger, scenarioDir: world });
    ({ app, base } = await startSlackApp(runtime, env, SIGNING_SECRET));
  });
  afterAll(async () => {
    await app.stop();
    await runtime.close();
  });

  it('in the Slack summary and everything else sent to Slack, in the DB rows and the indexed chunks', async () => {
    const event = JSON.parse(JSON.stringify(runtime.sandbox!.scenario.manifest.alert)).slackMessage as {
      ts: string;
    };
    const body = JSON.stringify({
      type: 'event_callback',
      team_id: 'T0ACME',
      event_id: 'EvPlanted1',
      event_time: 1,
      event,
    });
    const res = await fetch(`${base}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signedSlackHeaders(SIGNING_SECRET, body) },
      body,
    });
    expect(res.status).toBe(200);
    const summary = await until(() =>
      slackState(runtime.sandbox!.world).messages.find((m) => m.threadTs === event.ts && m.blocks),
    );
    // The culprit's title, planted value and all, reached the summary, redacted.
    expect(JSON.stringify(summary.blocks)).toContain(MARK);
    const sentToSlack = runtime
      .sandbox!.requests.filter((r) => r.path.startsWith('/api/chat.'))
      .map((r) => r.rawBody);
    expect(sentToSlack.length).toBeGreaterThan(0);
    expect(leaks(sentToSlack.join('\n'))).toEqual([]);

    const rows = dump(runtime);
    expect(leaks(rows)).toEqual([]);
    const chunks = JSON.stringify(runtime.db.prepare('SELECT text FROM chunks').all());
    expect(chunks).toContain(`The webhook shared value is ${MARK}`);
  });

  it('in investigate --json, show, search --json and tool --json', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'redaction-cli-')), 'sre.db');
    const investigated = await sre(['investigate', '--scenario', world, '--json'], db);
    const result = JSON.parse(investigated) as { id: string };
    expect(investigated).toContain(MARK);
    const shown = await sre(['show', result.id, '--json'], db);
    expect(shown).toContain(MARK);
    const searched = await sre(
      ['search', 'break-glass webhook shared value', '--scenario', world, '--json'],
      db,
    );
    expect(searched).toContain(MARK);
    const tool = await sre(
      ['tool', 'github.changes', '--input', '{"service":"checkout"}', '--scenario', world, '--json'],
      db,
    );
    expect(tool).toContain(MARK);
    expect(leaks([investigated, shown, searched, tool].join('\n'))).toEqual([]);
  });
});
