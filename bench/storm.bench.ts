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
import { type Benchmark, percentile } from './contract';

/**
 * Alert storm: 1,000 signed alert events for 200 distinct alert cycles within 10 s, against the real
 * Bolt app in-process. Reports ack latency, investigations started (must be exactly 200) and peak RSS.
 */
const SECRET = 'storm-signing-secret-0123456789';
const DEMO = join(import.meta.dirname, '..', 'sandbox', 'scenarios', 'checkout-bad-commit');

const bench: Benchmark = async () => {
  const env = parseEnv({
    SRE_DB_PATH: join(mkdtempSync(join(tmpdir(), 'bench-storm-')), 'sre.db'),
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_SIGNING_SECRET: SECRET,
  });
  const runtime = await createRuntime({ env, logger: silentLogger, scenarioDir: DEMO });
  const port = await freePort();
  const queue = new WorkQueue(env.SRE_MAX_CONCURRENT);
  let started = 0;
  const counting: typeof investigate = (o) => {
    started += 1;
    return investigate(o);
  };
  const { app } = createSlackApp({
    runtime,
    env,
    logger: silentLogger,
    queue,
    investigate: counting,
    progressIntervalMs: 1500,
    botToken: 'xoxb-bench',
    signingSecret: SECRET,
    slackApiUrl: `${runtime.sandbox!.url}/api/`,
  });
  await app.start(port);
  const template = (runtime.sandbox!.scenario.manifest.alert as { slackMessage: Record<string, unknown> })
    .slackMessage;
  const acks: number[] = [];
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 50);
  const t0 = performance.now();
  try {
    const sends: Promise<void>[] = [];
    for (let i = 0; i < 1_000; i++) {
      const cycle = i % 200;
      // Five posts per cycle (re-triggers, duplicates, retries) spread over ~9 seconds.
      const event = {
        ...template,
        ts: `1773340000.${String(i).padStart(6, '0')}`,
        attachments: [
          {
            title: `[Triggered] [P2] Storm ${cycle}`,
            title_link: `https://app.datadoghq.com/monitors/${700000 + cycle}?from_ts=1`,
          },
        ],
      };
      const body = JSON.stringify({ type: 'event_callback', event_id: `EvStorm${i}`, event });
      const stamp = Math.floor(Date.now() / 1000);
      const sig = `v0=${createHmac('sha256', SECRET).update(`v0:${stamp}:${body}`).digest('hex')}`;
      sends.push(
        (async () => {
          const s = performance.now();
          const res = await fetch(`http://127.0.0.1:${port}/slack/events`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'x-slack-signature': sig,
              'x-slack-request-timestamp': String(stamp),
            },
            body,
          });
          await res.arrayBuffer();
          if (res.status === 200) acks.push(performance.now() - s);
        })(),
      );
      if (i % 100 === 99) await new Promise((r) => setTimeout(r, 900));
    }
    await Promise.all(sends);
    const sendSeconds = (performance.now() - t0) / 1000;
    while (queue.active > 0 || queue.depth > 0) await new Promise((r) => setTimeout(r, 100));
    acks.sort((a, b) => a - b);
    return [
      {
        name: 'alert-storm',
        metric: `events acknowledged (of 1000, sent in ${sendSeconds.toFixed(1)} s)`,
        value: acks.length,
        unit: 'events',
      },
      { name: 'alert-storm', metric: 'ack latency p99', value: percentile(acks, 99), unit: 'ms' },
      { name: 'alert-storm', metric: 'investigations started (must be 200)', value: started, unit: 'runs' },
      { name: 'alert-storm', metric: 'peak RSS', value: peakRss / 1024 / 1024, unit: 'MiB' },
    ];
  } finally {
    clearInterval(sampler);
    await app.stop();
    await runtime.close();
  }
};

export default bench;
