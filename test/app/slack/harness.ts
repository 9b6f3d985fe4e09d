import type { App } from '@slack/bolt';
import { investigate } from '../../../agent/investigate';
import type { Env } from '../../../app/config';
import { silentLogger } from '../../../app/logger';
import type { Runtime } from '../../../app/runtime';
import { createSlackApp } from '../../../app/slack/app';
import type { SlackDeps } from '../../../app/slack/handlers';
import { WorkQueue } from '../../../app/slack/queue';
import { freePort } from '../../../sandbox/net';

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

/**
 * The real Bolt app in HTTP mode on a free loopback port, talking to the runtime's sandbox Slack
 * API with a bot token, as `npm start` would with SRE_SCENARIO.
 */
export async function startSlackApp(
  runtime: Runtime,
  env: Env,
  signingSecret: string,
  concurrency = 2,
): Promise<{ app: App; deps: SlackDeps; base: string }> {
  const port = await freePort();
  const { app, deps } = createSlackApp({
    runtime,
    env,
    logger: silentLogger,
    queue: new WorkQueue(concurrency),
    investigate,
    progressIntervalMs: 250,
    botToken: 'xoxb-test',
    signingSecret,
    slackApiUrl: `${runtime.sandbox!.url}/api/`,
  });
  await app.start(port);
  return { app, deps, base: `http://127.0.0.1:${port}` };
}
