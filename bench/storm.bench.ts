import { SLACK_DEFAULTS } from '../app/slack/defaults';
import { type Benchmark, type BenchResult, percentile } from './contract';
import { type BenchSlackApp, startBenchSlackApp } from './slack-app';

/**
 * Alert storm: 1,000 signed alert events for 200 distinct alert cycles within 10 s, against the real
 * Bolt app in this process; Slack and the data sources are another process (outside-world.ts),
 * which sends the events and times each acknowledgement. Side by side in one run: the ack latency
 * of single events on an idle bot (p95) and under the storm (p99), with investigations in worker
 * threads and on the event loop. Also reports investigations started (must be exactly 200) and
 * the bot's peak RSS (its workers included).
 */
const SINGLES = 25;

const idle = async (bot: BenchSlackApp, started: number) => {
  while (bot.started() < started || bot.queue.active > 0 || bot.queue.depth > 0)
    await new Promise((r) => setTimeout(r, 20));
};

const alertEvent = (bot: BenchSlackApp, i: number, title: string, monitorId: number) => ({
  ...bot.template,
  ts: `1773340000.${String(i).padStart(6, '0')}`,
  attachments: [
    {
      title: `[Triggered] [P2] ${title}`,
      title_link: `https://app.datadoghq.com/monitors/${monitorId}?from_ts=1`,
    },
  ],
});

/** Ack latency of one event at a time, each on a bot that finished the previous one's run. */
async function singleAcks(bot: BenchSlackApp): Promise<number[]> {
  const acks: number[] = [];
  for (let i = 0; i < SINGLES; i++) {
    const event = alertEvent(bot, 900_000 + i, `Single ${i}`, 600_000 + i);
    acks.push(
      ...(await bot.sendEvents({ events: [{ event, eventId: `EvSingle${i}` }], burst: 1, pauseMs: 0 })),
    );
    await idle(bot, i + 1);
  }
  return acks.sort((a, b) => a - b);
}

/** Five posts per cycle (re-triggers, duplicates, retries), sent 100 at a time over ~9 seconds. */
async function stormAcks(bot: BenchSlackApp) {
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 50);
  const t0 = performance.now();
  try {
    const events = Array.from({ length: 1_000 }, (_, i) => ({
      event: alertEvent(bot, i, `Storm ${i % 200}`, 700_000 + (i % 200)),
      eventId: `EvStorm${i}`,
    }));
    const acks = await bot.sendEvents({ events, burst: 100, pauseMs: 900 });
    const sendSeconds = (performance.now() - t0) / 1000;
    await idle(bot, SINGLES + 200);
    return { acks, sendSeconds, peakRss };
  } finally {
    clearInterval(sampler);
  }
}

async function storm(workers: number): Promise<BenchResult[]> {
  const bot = await startBenchSlackApp({ workers, outsideWorld: true });
  const mode =
    bot.workers > 0 ? `${bot.workers} investigation worker(s)` : 'investigations on the event loop';
  try {
    const single = percentile(await singleAcks(bot), 95);
    const { acks, sendSeconds, peakRss } = await stormAcks(bot);
    const p99 = percentile(acks, 99);
    return [
      {
        name: 'alert-storm',
        metric: `${mode}: events acknowledged (of 1000, sent in ${sendSeconds.toFixed(1)} s)`,
        value: acks.length,
        unit: 'events',
      },
      {
        name: 'alert-storm',
        metric: `${mode}: ack p99 under the storm vs one event's p95 (target ratio <= 10)`,
        value: p99,
        unit: 'ms',
        baseline: single,
        ratio: p99 / single,
      },
      {
        name: 'alert-storm',
        metric: `${mode}: investigations started (must be 200)`,
        value: bot.started() - SINGLES,
        unit: 'runs',
      },
      { name: 'alert-storm', metric: `${mode}: peak RSS`, value: peakRss / 1024 / 1024, unit: 'MiB' },
    ];
  } finally {
    await bot.close();
  }
}

const bench: Benchmark = async () => [
  ...(await storm(SLACK_DEFAULTS.investigationWorkers)),
  ...(await storm(0)),
];

export default bench;
