import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SLACK_DEFAULTS } from '../app/slack/defaults';
import { type Benchmark, type BenchResult, percentile } from './contract';
import { type BenchSlackApp, startBenchSlackApp, startEventSender } from './slack-app';

/**
 * Alert storm: 1,000 signed alert events for 200 distinct alert cycles (five posts per cycle:
 * re-triggers, duplicates, retries) within 10 s, against the real Bolt app in this process.
 * Slack and the data sources are processes of their own (outside-world.ts, event-sender.ts), as
 * in production. Side by side in one run: the ack latency of single events on an idle bot (p95)
 * and under the storm (p99), with investigations in worker threads and on the event loop, for two
 * shapes of storm: bursts of 100 events at the same instant every 0.9 s, and a steady 100 events
 * a second. For scale, the same bursts against a server that answers at once: one thread taking
 * 100 requests in turn makes the last wait for the 99 before it, whatever the bot does.
 * Also: investigations started (exactly 200 a storm) and the bot's peak RSS (workers included).
 */
const SINGLES = 25;
const SHAPES = [
  { name: 'bursts of 100', burst: 100, pauseMs: 900 },
  { name: '100 a second', burst: 1, pauseMs: 10 },
] as const;

const idle = async (bot: BenchSlackApp, started: number) => {
  while (bot.started() < started || bot.queue.active > 0 || bot.queue.depth > 0)
    await new Promise((r) => setTimeout(r, 20));
};

/** The demo's DataDog post as alert `title` of monitor `monitorId`, posted at a ts of its own. */
const alertEvent = (template: Record<string, unknown>, n: number, title: string, monitorId: number) => ({
  event: {
    ...template,
    ts: `1773340000.${String(n).padStart(6, '0')}`,
    attachments: [
      {
        title: `[Triggered] [P2] ${title}`,
        title_link: `https://app.datadoghq.com/monitors/${monitorId}?from_ts=1`,
      },
    ],
  },
  eventId: `Ev${n}`,
});

/** Ack latency of one event at a time, each on a bot that finished the previous one's run. */
async function singleAcks(bot: BenchSlackApp): Promise<number[]> {
  const acks: number[] = [];
  for (let i = 0; i < SINGLES; i++) {
    const events = [alertEvent(bot.template, 900_000 + i, `Single ${i}`, 600_000 + i)];
    acks.push(...(await bot.sendEvents({ events, burst: 1, pauseMs: 0 })));
    await idle(bot, i + 1);
  }
  return acks.sort((a, b) => a - b);
}

/** One storm of the given shape (storm `k` of this bot: its own monitors and posts). */
async function stormAcks(bot: BenchSlackApp, k: number, shape: (typeof SHAPES)[number]) {
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 50);
  const startedBefore = bot.started();
  const t0 = performance.now();
  try {
    const events = Array.from({ length: 1_000 }, (_, i) =>
      alertEvent(bot.template, k * 1_000 + i, `Storm ${k}.${i % 200}`, 700_000 + k * 1_000 + (i % 200)),
    );
    const acks = await bot.sendEvents({ events, burst: shape.burst, pauseMs: shape.pauseMs });
    const sendSeconds = (performance.now() - t0) / 1000;
    await idle(bot, startedBefore + 200);
    return { acks, sendSeconds, peakRss, started: bot.started() - startedBefore };
  } finally {
    clearInterval(sampler);
  }
}

async function storms(workers: number): Promise<BenchResult[]> {
  const bot = await startBenchSlackApp({ workers, outsideWorld: true });
  const mode =
    bot.workers > 0 ? `${bot.workers} investigation worker(s)` : 'investigations on the event loop';
  const rows: BenchResult[] = [];
  try {
    const single = percentile(await singleAcks(bot), 95);
    for (const [k, shape] of SHAPES.entries()) {
      const { acks, sendSeconds, peakRss, started } = await stormAcks(bot, k, shape);
      const p99 = percentile(acks, 99);
      const label = `${mode}, ${shape.name}`;
      rows.push(
        {
          name: 'alert-storm',
          metric: `${label}: events acknowledged (of 1000, sent in ${sendSeconds.toFixed(1)} s)`,
          value: acks.length,
          unit: 'events',
        },
        {
          name: 'alert-storm',
          metric: `${label}: ack p99 under the storm vs one event's p95 (target ratio <= 10)`,
          value: p99,
          unit: 'ms',
          baseline: single,
          ratio: p99 / single,
        },
        {
          name: 'alert-storm',
          metric: `${label}: investigations started (must be 200)`,
          value: started,
          unit: 'runs',
        },
        { name: 'alert-storm', metric: `${label}: peak RSS`, value: peakRss / 1024 / 1024, unit: 'MiB' },
      );
    }
    return rows;
  } finally {
    await bot.close();
  }
}

/** The sender's bursts and single events against a server that answers 200 at once: the floor. */
async function floor(): Promise<BenchResult> {
  const server = createServer((req, res) => {
    req.resume().on('end', () => res.writeHead(200).end());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const sender = await startEventSender();
  try {
    const target = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
    const singles: number[] = [];
    for (let i = 0; i < SINGLES; i++)
      singles.push(
        ...(await sender.send({ events: [alertEvent({}, i, 'x', 1)], burst: 1, pauseMs: 0 }, target)),
      );
    const events = Array.from({ length: 1_000 }, (_, i) => alertEvent({}, i, 'x', 1));
    const acks = await sender.send({ events, burst: 100, pauseMs: 900 }, target);
    const single = percentile(
      singles.sort((a, b) => a - b),
      95,
    );
    const p99 = percentile(acks, 99);
    return {
      name: 'alert-storm',
      metric: 'for scale, a server that answers at once, bursts of 100: ack p99 vs one event p95',
      value: p99,
      unit: 'ms',
      baseline: single,
      ratio: p99 / single,
    };
  } finally {
    await sender.close();
    server.close();
  }
}

const bench: Benchmark = async () => [
  ...(await storms(SLACK_DEFAULTS.investigationWorkers)),
  ...(await storms(0)),
  await floor(),
];

export default bench;
