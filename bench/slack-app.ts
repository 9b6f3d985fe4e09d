import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { investigate } from '../agent/investigate';
import { parseEnv } from '../app/config';
import { silentLogger } from '../app/logger';
import { createRuntime, type Runtime, runtimeTools } from '../app/runtime';
import { createSlackApp } from '../app/slack/app';
import { WorkQueue } from '../app/slack/queue';
import { startInvestigations } from '../app/workers/investigations';
import { freePort } from '../sandbox/net';
import { signedSlackHeaders } from '../sandbox/slack-signature';
import { sandboxDataSources } from '../sandbox/sources';
import type { SendEvents } from './event-sender';

/** The real Bolt app in HTTP mode over the demo world, for the Slack benchmarks. */
export const DEMO_SCENARIO = join(import.meta.dirname, '..', 'sandbox', 'scenarios', 'checkout-bad-commit');
const SECRET = 'bench-signing-secret-0123456789';

type OutsideWorld = {
  url: string;
  send(m: Omit<SendEvents, 'target' | 'secret'>, target: string): Promise<number[]>;
  close(): Promise<void>;
};

type Helper = { first: unknown; ask(m: unknown): Promise<unknown>; close(): Promise<void> };

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
    workers?: number;
    /**
     * Slack (its Web API and its Events API) and the data sources in a process of their own
     * (outside-world.ts), as in production, instead of on the bot's event loop.
     */
    outsideWorld?: boolean;
  } = {},
): Promise<BenchSlackApp> {
  const env = parseEnv({
    SRE_DB_PATH: join(mkdtempSync(join(tmpdir(), 'bench-slack-')), 'sre.db'),
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_SIGNING_SECRET: SECRET,
  });
  const runtime = await createRuntime({ env, logger: silentLogger, scenarioDir: DEMO_SCENARIO });
  const world = options.outsideWorld ? await startOutsideWorld() : undefined;
  if (world) {
    // The scenario's catalog, clock and indexed documents stay; its tools now reach the other process.
    runtime.sources = sandboxDataSources(world.url);
    runtime.tools = runtimeTools(runtime.db, runtime.embedder, runtime.sources);
  }
  const port = await freePort();
  const queue = new WorkQueue(options.concurrency ?? env.SRE_MAX_CONCURRENT);
  const investigations = startInvestigations(runtime, {
    workers: options.workers ?? env.SRE_INVESTIGATION_WORKERS,
    inProcess: investigate,
  });
  // Measure an app whose workers are up, as a running bot's are.
  await investigations.ready;
  let started = 0;
  const { app } = createSlackApp({
    runtime,
    env,
    logger: silentLogger,
    queue,
    investigate: (o) => {
      started += 1;
      return investigations.investigate(o);
    },
    progressIntervalMs: 1500,
    botToken: 'xoxb-bench',
    signingSecret: SECRET,
    slackApiUrl: `${world?.url ?? runtime.sandbox!.url}/api/`,
  });
  await app.start(port);
  const target = `http://127.0.0.1:${port}/slack/events`;
  return {
    runtime,
    queue,
    started: () => started,
    workers: investigations.workers,
    template: (runtime.sandbox!.scenario.manifest.alert as { slackMessage: Record<string, unknown> })
      .slackMessage,
    postEvent: (event, eventId) => {
      const body = JSON.stringify({ type: 'event_callback', event_id: eventId, event });
      return fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...signedSlackHeaders(SECRET, body) },
        body,
      });
    },
    sendEvents: (m) => {
      if (!world) throw new Error('sendEvents needs outsideWorld');
      return world.send(m, target);
    },
    close: async () => {
      await app.stop();
      await investigations.close();
      await runtime.close();
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
      ((await sender.ask({ ...m, target, secret: SECRET } satisfies SendEvents)) as { acks: number[] }).acks,
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
