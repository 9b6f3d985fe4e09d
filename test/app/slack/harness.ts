import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App } from '@slack/bolt';
import { investigate } from '../../../agent/investigate';
import { type Env, parseEnv } from '../../../app/config';
import { silentLogger } from '../../../app/logger';
import { createRuntime, type Runtime } from '../../../app/runtime';
import type { SlackAppDeps } from '../../../app/slack/app';
import { createSlackApp } from '../../../app/slack/app';
import type { JobRunnerOptions } from '../../../app/slack/job-runner';
import { WorkQueue } from '../../../app/slack/queue';
import { freePort } from '../../../sandbox/net';
import { type PostedMessage, slackState } from '../../../sandbox/routes/slack';
import { signedSlackHeaders } from '../../../sandbox/slack-signature';
import { DEMO } from '../../tools/helpers';

/**
 * The one Slack-app harness of the app-level tests and the Slack benchmarks: the Slack app as
 * `npm start` runs it (real Bolt in HTTP mode, the real WebClient) against a scenario's sandbox
 * Slack API, on a loopback port. `startSlackApp` serves a runtime a test built itself;
 * `startSlackHarness` also builds the demo scenario's runtime with a fresh database and signs
 * what it sends.
 */
export const SIGNING_SECRET = 'test-signing-secret-0123456789';
export const WEBHOOK_SECRET = 'webhook-secret-0123456789abcdef';

export async function until<T>(what: () => T | undefined, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = what();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * Interactivity payloads as Slack sends them (docs.slack.dev/reference/interaction-payloads):
 * a Comment modal's view_submission, with the comment text and the picked cause, if any.
 */
export function commentSubmission(user: string, metadata: unknown, comment: unknown, picked?: string) {
  return {
    type: 'view_submission',
    user: { id: user, team_id: 'T0ACME' },
    team: { id: 'T0ACME' },
    view: {
      id: 'V00000001',
      type: 'modal',
      callback_id: 'feedback_comment',
      private_metadata: metadata,
      state: {
        values: {
          comment: { value: { type: 'plain_text_input', value: comment } },
          actual_cause: {
            value: { type: 'static_select', selected_option: picked ? { value: picked } : null },
          },
        },
      },
    },
  };
}

/** How many runs at once, the job runner's timings, and (benchmarks) a stand-in investigation. */
export type SlackAppOptions = {
  concurrency?: number;
  jobOptions?: Partial<JobRunnerOptions>;
  investigate?: typeof investigate;
  progressIntervalMs?: number;
  /** Slack's Web API elsewhere than the runtime's sandbox (the storm benchmark's own process). */
  slackApiUrl?: string;
};

/**
 * The real Bolt app in HTTP mode on a free loopback port, talking to the runtime's sandbox Slack
 * API with a bot token, as `npm start` would with SRE_SCENARIO.
 */
export async function startSlackApp(
  runtime: Runtime,
  env: Env,
  signingSecret: string,
  options: SlackAppOptions = {},
): Promise<{ app: App; deps: SlackAppDeps; base: string }> {
  const port = await freePort();
  const { app, deps } = createSlackApp({
    runtime,
    env,
    logger: silentLogger,
    queue: new WorkQueue(options.concurrency ?? 2),
    investigate: options.investigate ?? investigate,
    progressIntervalMs: options.progressIntervalMs ?? 250,
    botToken: 'xoxb-test',
    signingSecret,
    slackApiUrl: options.slackApiUrl ?? `${runtime.sandbox!.url}/api/`,
    jobOptions: options.jobOptions,
  });
  await app.start(port);
  return { app, deps, base: `http://127.0.0.1:${port}` };
}

export type Harness = {
  runtime: Runtime;
  app: App;
  /** The handlers' collaborators (a test may swap `deps.env`, as a config change would). */
  deps: SlackAppDeps;
  base: string;
  dbPath: string;
  messages(): PostedMessage[];
  /**
   * A signed Events API callback carrying `event`, as Slack delivers it (retries add headers);
   * a fresh event id unless given.
   */
  postEvent(
    event: Record<string, unknown>,
    extraHeaders?: Record<string, string>,
    eventId?: string,
  ): Promise<Response>;
  /** POST /webhooks/datadog with the shared secret. */
  hook(body: unknown): Promise<Response>;
  close(): Promise<void>;
};

/** The demo scenario's runtime with a fresh database (unless SRE_DB_PATH is given), and its Slack app. */
export async function startSlackHarness(
  extraEnv: Record<string, string> = {},
  options: SlackAppOptions = {},
): Promise<Harness> {
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
  const { app, deps, base } = await startSlackApp(runtime, env, SIGNING_SECRET, {
    ...options,
    concurrency: options.concurrency ?? 4,
  });
  return {
    runtime,
    app,
    deps,
    base,
    dbPath,
    messages: () => slackState(runtime.sandbox!.world).messages,
    postEvent: (event, extraHeaders = {}, eventId = `Ev${Math.random().toString(36).slice(2)}`) => {
      const body = JSON.stringify({
        type: 'event_callback',
        team_id: 'T0ACME',
        api_app_id: 'A0SRE',
        event_id: eventId,
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
      await deps.jobs.stop(5_000);
      await app.stop();
      await runtime.close();
    },
  };
}
