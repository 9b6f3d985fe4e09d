import { slackState } from '../sandbox/routes/slack';
import { type Benchmark, percentile } from './contract';
import { startBenchSlackApp } from './slack-app';

/** In-process: a signed DataDog alert event received by Bolt -> the bot's first reply in the thread. */
const bench: Benchmark = async () => {
  const bot = await startBenchSlackApp({ concurrency: 4 });
  const messages = slackState(bot.runtime.sandbox!.world).messages;
  const samples: number[] = [];
  try {
    for (let i = 0; i < 25; i++) {
      const ts = `1773330000.${String(i).padStart(6, '0')}`;
      const attachments = (bot.template.attachments as Record<string, unknown>[]).map((a) => ({
        ...a,
        title_link: `https://app.datadoghq.com/monitors/${90000 + i}`,
      }));
      const t0 = performance.now();
      await bot.postEvent({ ...bot.template, ts, attachments }, `EvBench${i}`);
      while (!messages.some((m) => m.threadTs === ts)) await new Promise((r) => setImmediate(r));
      samples.push(performance.now() - t0);
      // Let the run finish so each sample sees an idle bot, as a real first alert would.
      while (!messages.some((m) => m.threadTs === ts && m.blocks)) await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    await bot.close();
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
