import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { investigate } from '../agent/investigate';
import { parseEnv } from '../app/config';
import { silentLogger } from '../app/logger';
import { createRuntime, type Runtime } from '../app/runtime';
import { createSlackApp } from '../app/slack/app';
import { WorkQueue } from '../app/slack/queue';
import { freePort } from '../sandbox/net';
import { signedSlackHeaders } from '../sandbox/slack-signature';

/** The real Bolt app in HTTP mode over the demo world, for the Slack benchmarks. */
export const DEMO_SCENARIO = join(import.meta.dirname, '..', 'sandbox', 'scenarios', 'checkout-bad-commit');
const SECRET = 'bench-signing-secret-0123456789';

export type BenchSlackApp = {
  runtime: Runtime;
  queue: WorkQueue;
  /** The demo's DataDog alert post, to vary per event. */
  template: Record<string, unknown>;
  /** Posts one signed event_callback and returns Bolt's response. */
  postEvent(event: Record<string, unknown>, eventId: string): Promise<Response>;
  close(): Promise<void>;
};

export async function startBenchSlackApp(
  options: { investigate?: typeof investigate; concurrency?: number } = {},
): Promise<BenchSlackApp> {
  const env = parseEnv({
    SRE_DB_PATH: join(mkdtempSync(join(tmpdir(), 'bench-slack-')), 'sre.db'),
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_SIGNING_SECRET: SECRET,
  });
  const runtime = await createRuntime({ env, logger: silentLogger, scenarioDir: DEMO_SCENARIO });
  const port = await freePort();
  const queue = new WorkQueue(options.concurrency ?? env.SRE_MAX_CONCURRENT);
  const { app } = createSlackApp({
    runtime,
    env,
    logger: silentLogger,
    queue,
    investigate: options.investigate ?? investigate,
    progressIntervalMs: 1500,
    botToken: 'xoxb-bench',
    signingSecret: SECRET,
    slackApiUrl: `${runtime.sandbox!.url}/api/`,
  });
  await app.start(port);
  return {
    runtime,
    queue,
    template: (runtime.sandbox!.scenario.manifest.alert as { slackMessage: Record<string, unknown> })
      .slackMessage,
    postEvent: (event, eventId) => {
      const body = JSON.stringify({ type: 'event_callback', event_id: eventId, event });
      return fetch(`http://127.0.0.1:${port}/slack/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...signedSlackHeaders(SECRET, body) },
        body,
      });
    },
    close: async () => {
      await app.stop();
      await runtime.close();
    },
  };
}
