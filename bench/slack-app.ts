import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { investigate } from '../agent/investigate';
import { parseEnv } from '../app/config';
import { type Runtime, runtimeTools } from '../app/runtime';
import type { WorkQueue } from '../app/slack/queue';
import { type Investigations, startInvestigations } from '../app/workers/investigations';
import { sandboxDataSources } from '../sandbox/sources';
import { SIGNING_SECRET, startSlackHarness } from '../test/app/slack/harness';
import { DEMO } from '../test/tools/helpers';
import type { SendEvents } from './event-sender';

/** The demo world the Slack benchmarks run on. */
export const DEMO_SCENARIO = DEMO;

type OutsideWorld = {
  url: string;
  send(m: Omit<SendEvents, 'target' | 'secret'>, target: string): Promise<number[]>;
  close(): Promise<void>;
};

type Helper = { first: unknown; ask(m: unknown): Promise<unknown>; close(): Promise<void> };

/**
 * The Slack benchmarks' view of the tests' Slack harness (test/app/slack/harness.ts): the real
 * Bolt app in HTTP mode over the demo world, so a benchmark measures what the e2e tests check.
 */
export type BenchSlackApp = {
  runtime: Runtime;
  queue: WorkQueue;
  /** Investigations started so far. */
  started(): number;
  /** Investigation worker threads (0: on the event loop). */
  workers: number;
  /** The demo's DataDog alert post, to vary per event. */
  template: Record<string, unknown>;
  /** Posts one signed event_callback from this process and returns Bolt's response. */
  postEvent(event: Record<string, unknown>, eventId: string): Promise<Response>;
  /**
   * With `outsideWorld`: the other process sends the events (in bursts of `burst`, `pauseMs`
   * apart) and resolves with the acknowledgement times of those answered 200, sorted.
   */
  sendEvents(m: Omit<SendEvents, 'target' | 'secret'>): Promise<number[]>;
  close(): Promise<void>;
};

export async function startBenchSlackApp(
  options: {
    concurrency?: number;
    /** Investigation worker threads (default SRE_INVESTIGATION_WORKERS's); 0 runs them on the event loop. */
    workers?: number;
    /**
     * Slack (its Web API and its Events API) and the data sources in processes of their own
     * (outside-world.ts, event-sender.ts), as in production, instead of on the bot's event loop.
     */
    outsideWorld?: boolean;
  } = {},
): Promise<BenchSlackApp> {
  const env = parseEnv({});
  const world = options.outsideWorld ? await startOutsideWorld() : undefined;
  let investigations: Investigations | undefined;
  let started = 0;
  const h = await startSlackHarness(
    {},
    {
      // The pool is built from the harness's runtime below, before any event arrives.
      investigate: (o) => {
        started += 1;
        return investigations!.investigate(o);
      },
      concurrency: options.concurrency ?? env.SRE_MAX_CONCURRENT,
      progressIntervalMs: 1500,
      ...(world ? { slackApiUrl: `${world.url}/api/` } : {}),
    },
  );
  if (world) {
    // The scenario's catalog, clock and indexed documents stay; its tools now reach the other process.
    h.runtime.sources = sandboxDataSources(world.url);
    h.runtime.tools = runtimeTools(h.runtime.db, h.runtime.embedder, h.runtime.sources);
  }
  investigations = startInvestigations(h.runtime, {
    workers: options.workers ?? env.SRE_INVESTIGATION_WORKERS,
    inProcess: investigate,
  });
  // Measure an app whose workers are up, as a running bot's are.
  await investigations.ready;
  const target = `${h.base}/slack/events`;
  return {
    runtime: h.runtime,
    queue: h.deps.queue,
    started: () => started,
    workers: investigations.workers,
    template: (h.runtime.sandbox!.scenario.manifest.alert as { slackMessage: Record<string, unknown> })
      .slackMessage,
    postEvent: (event, eventId) => h.postEvent(event, {}, eventId),
    sendEvents: (m) => {
      if (!world) throw new Error('sendEvents needs outsideWorld');
      return world.send(m, target);
    },
    close: async () => {
      await h.close();
      await investigations?.close();
      await world?.close();
    },
  };
}

/** Starts a bench helper script as a process with an IPC channel; resolves with its first message. */
async function startHelper(file: string, args: string[] = []): Promise<Helper> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, file), ...args], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const first = await new Promise<unknown>((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code}`)));
  });
  return {
    first,
    ask: (m) =>
      new Promise((resolve) => {
        child.once('message', resolve);
        child.send(m as object);
      }),
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Slack's Events API (event-sender.ts): sends events to `target` and times their acknowledgements. */
export async function startEventSender(): Promise<Pick<OutsideWorld, 'send' | 'close'>> {
  const sender = await startHelper('event-sender.ts');
  return {
    send: async (m, target) =>
      (
        (await sender.ask({ ...m, target, secret: SIGNING_SECRET } satisfies SendEvents)) as {
          acks: number[];
        }
      ).acks,
    close: () => sender.close(),
  };
}

/** Slack's Web API and the data sources (outside-world.ts) and Slack's event sender, each a process. */
async function startOutsideWorld(): Promise<OutsideWorld> {
  const [sandbox, sender] = await Promise.all([
    startHelper('outside-world.ts', [DEMO_SCENARIO]),
    startEventSender(),
  ]);
  return {
    url: (sandbox.first as { url: string }).url,
    send: sender.send,
    close: async () => {
      await Promise.all([sandbox.close(), sender.close()]);
    },
  };
}
