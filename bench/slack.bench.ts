import { createHmac } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { investigate } from '../agent/investigate';
import { parseEnv } from '../app/config';
import { silentLogger } from '../app/logger';
import { createRuntime } from '../app/runtime';
import { createSlackApp } from '../app/slack/app';
import { WorkQueue } from '../app/slack/queue';
import { freePort } from '../sandbox/net';
import { slackState } from '../sandbox/routes/slack';
import { type Benchmark, percentile } from './contract';

/** In-process: a signed DataDog alert event received by Bolt -> the bot's first reply in the thread. */
const SECRET = 'bench-signing-secret-0123456789';
const DEMO = join(import.meta.dirname, '..', 'sandbox', 'scenarios', 'checkout-bad-commit');

const bench: Benchmark = async () => {
  const env = parseEnv({
    SRE_DB_PATH: join(mkdtempSync(join(tmpdir(), 'bench-slack-')), 'sre.db'),
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_SIGNING_SECRET: SECRET,
  });
  const runtime = await createRuntime({ env, logger: silentLogger, scenarioDir: DEMO });
  const port = await freePort();
  const { app } = createSlackApp({
    runtime,
    env,
    logger: silentLogger,
    queue: new WorkQueue(4),
    investigate,
    progressIntervalMs: 1500,
    botToken: 'xoxb-bench',
    signingSecret: SECRET,
    slackApiUrl: `${runtime.sandbox!.url}/api/`,
  });
  await app.start(port);
  const messages = slackState(runtime.sandbox!.world).messages;
  const template = (runtime.sandbox!.scenario.manifest.alert as { slackMessage: Record<string, unknown> })
    .slackMessage;
  const samples: number[] = [];
  try {
    for (let i = 0; i < 25; i++) {
      const ts = `1773330000.${String(i).padStart(6, '0')}`;
      const attachments = (template.attachments as Record<string, unknown>[]).map((a) => ({
        ...a,
        title_link: `https://app.datadoghq.com/monitors/${90000 + i}`,
      }));
      const body = JSON.stringify({
        type: 'event_callback',
        event_id: `EvBench${i}`,
        event: { ...template, ts, attachments },
      });
      const stamp = Math.floor(Date.now() / 1000);
      const sig = `v0=${createHmac('sha256', SECRET).update(`v0:${stamp}:${body}`).digest('hex')}`;
      const t0 = performance.now();
      await fetch(`http://127.0.0.1:${port}/slack/events`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-slack-signature': sig,
          'x-slack-request-timestamp': String(stamp),
        },
        body,
      });
      while (!messages.some((m) => m.threadTs === ts)) await new Promise((r) => setImmediate(r));
      samples.push(performance.now() - t0);
      // Let the run finish so each sample sees an idle bot, as a real first alert would.
      while (!messages.some((m) => m.threadTs === ts && m.blocks)) await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    await app.stop();
    await runtime.close();
  }
  samples.sort((a, b) => a - b);
  return [
    {
      name: 'slack',
      metric: 'event received -> first thread reply p50 (target < 250 ms)',
      value: percentile(samples, 50),
      unit: 'ms',
    },
    {
      name: 'slack',
      metric: 'event received -> first thread reply p95',
      value: percentile(samples, 95),
      unit: 'ms',
    },
  ];
};

export default bench;
