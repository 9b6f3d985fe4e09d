import { investigate } from '../agent/investigate';
import { type Benchmark, percentile } from './contract';
import { startBenchSlackApp } from './slack-app';

/**
 * Alert storm: 1,000 signed alert events for 200 distinct alert cycles within 10 s, against the real
 * Bolt app in-process. Reports ack latency, investigations started (must be exactly 200) and peak RSS.
 */
const bench: Benchmark = async () => {
  let started = 0;
  const counting: typeof investigate = (o) => {
    started += 1;
    return investigate(o);
  };
  const bot = await startBenchSlackApp({ investigate: counting });
  const { queue, template } = bot;
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
      sends.push(
        (async () => {
          const s = performance.now();
          const res = await bot.postEvent(event, `EvStorm${i}`);
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
    await bot.close();
  }
};

export default bench;
