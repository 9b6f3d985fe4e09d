import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App } from '@slack/bolt';
import { investigate } from '../../../agent/investigate';
import { parseEnv } from '../../../app/config';
import { silentLogger } from '../../../app/logger';
import { createRuntime, type Runtime } from '../../../app/runtime';
import { createSlackApp } from '../../../app/slack/app';
import { WorkQueue } from '../../../app/slack/queue';
import { freePort } from '../../../sandbox/net';
import { type PostedMessage, slackState } from '../../../sandbox/routes/slack';
import { signedSlackHeaders } from '../../../sandbox/slack-signature';
import { DEMO } from '../../tools/helpers';

/**
 * The Slack app as `npm start` runs it (real Bolt in HTTP mode, the real WebClient) against the
 * demo scenario's sandbox Slack API, on a loopback port, with a fresh database.
 */
export const SIGNING_SECRET = 'test-signing-secret-0123456789';
export const WEBHOOK_SECRET = 'webhook-secret-0123456789abcdef';

export type Harness = {
  runtime: Runtime;
  base: string;
  dbPath: string;
  messages(): PostedMessage[];
  /** A signed Events API callback carrying `event`, as Slack delivers it (retries add headers). */
  postEvent(event: Record<string, unknown>, extraHeaders?: Record<string, string>): Promise<Response>;
  /** POST /webhooks/datadog with the shared secret. */
  hook(body: unknown): Promise<Response>;
  close(): Promise<void>;
};

export async function until<T>(what: () => T | undefined, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = what();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

export async function startSlackHarness(extraEnv: Record<string, string> = {}): Promise<Harness> {
  const dbPath = extraEnv.SRE_DB_PATH ?? join(mkdtempSync(join(tmpdir(), 'slack-')), 'sre.db');
  const env = parseEnv({
    SRE_DB_PATH: dbPath,
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SRE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    SRE_WEBHOOK_CHANNEL: 'C0WEBHOOK',
    SRE_PROGRESS_UPDATE_MS: '250',
    ...extraEnv,
  });
  const runtime = await createRuntime({ env, logger: silentLogger, scenarioDir: DEMO });
  const port = await freePort();
  const { app }: { app: App } = createSlackApp({
    runtime,
    env,
    logger: silentLogger,
    queue: new WorkQueue(4),
    investigate,
    progressIntervalMs: 250,
    botToken: 'xoxb-test',
    signingSecret: SIGNING_SECRET,
    slackApiUrl: `${runtime.sandbox!.url}/api/`,
  });
  await app.start(port);
  const base = `http://127.0.0.1:${port}`;
  return {
    runtime,
    base,
    dbPath,
    messages: () => slackState(runtime.sandbox!.world).messages,
    postEvent: (event, extraHeaders = {}) => {
      const body = JSON.stringify({
        type: 'event_callback',
        team_id: 'T0ACME',
        api_app_id: 'A0SRE',
        event_id: `Ev${Math.random().toString(36).slice(2)}`,
        event_time: 1,
        event,
      });
      return fetch(`${base}/slack/events`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...signedSlackHeaders(SIGNING_SECRET, body),
          ...extraHeaders,
        },
        body,
        signal: AbortSignal.timeout(10_000),
      });
    },
    hook: (body) =>
      fetch(`${base}/webhooks/datadog`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-sre-webhook-secret': WEBHOOK_SECRET },
        body: typeof body === 'string' ? body : JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      }),
    close: async () => {
      await app.stop();
      await runtime.close();
    },
  };
}
