import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import { addDeadLetter } from '../../data/webhook-dead-letters';
import { redactText } from '../../lib/redact';
import { handleDatadogWebhook } from '../http/webhook';
import type { ActionPlace } from './access';
import { takeDatadogAlert } from './alert-intake';
import { COMMENT_ACTION } from './blocks';
import { SLACK_DEFAULTS } from './defaults';
import {
  onCommentButton,
  onCommentSubmission,
  onFeedbackButton,
  onMention,
  onMessage,
  onReaction,
  onSlashCommand,
  type SlackDeps,
} from './handlers';
import { JobRunner, type JobRunnerOptions } from './job-runner';

/**
 * The Bolt app: listeners registered per kind, each a thin wrapper over a plain handler, plus the
 * custom routes (GET /healthz, POST /webhooks/datadog) on the same port.
 */
export type SlackAppOptions = Omit<SlackDeps, 'client' | 'seen' | 'jobs'> & {
  /** Overrides of the job queue's settings (tests shorten the back-off); the rest come from env. */
  jobOptions?: Partial<JobRunnerOptions>;
  signingSecret?: string;
  appToken?: string;
  botToken: string;
  slackApiUrl: string;
};

/** The parts of a block_actions payload that say where the button was pressed. */
type ButtonBody = {
  user: { id: string };
  channel?: { id: string };
  container?: { message_ts?: string; thread_ts?: string };
  message?: { ts?: string; thread_ts?: string };
};

/** The channel, message and thread a button sat on (checked against the investigation it names). */
function actionPlace(b: ButtonBody): ActionPlace | undefined {
  if (!b.channel?.id) return undefined;
  const messageTs = b.container?.message_ts ?? b.message?.ts;
  const threadTs = b.container?.thread_ts ?? b.message?.thread_ts;
  return {
    channel: b.channel.id,
    ...(messageTs ? { messageTs } : {}),
    ...(threadTs ? { threadTs } : {}),
  };
}

export function createSlackApp(options: SlackAppOptions): { app: App; deps: SlackDeps } {
  const { env, logger } = options;
  // The client is assigned once the App exists; handlers only read deps.client when events arrive.
  const deps = { ...options, seen: new Set<string>() } as unknown as SlackDeps;
  deps.jobs = new JobRunner(deps, {
    leaseMs: env.SRE_RUN_LEASE_MS,
    maxQueued: env.SRE_MAX_QUEUED,
    ...options.jobOptions,
  });
  const customRoutes = [
    {
      path: '/healthz',
      method: ['GET'],
      handler: (_req: unknown, res: import('node:http').ServerResponse) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: true, ...deps.jobs.stats() }));
      },
    },
    {
      path: '/webhooks/datadog',
      method: ['POST'],
      handler: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
        handleDatadogWebhook(
          {
            secret: env.SRE_WEBHOOK_SECRET,
            limitBytes: SLACK_DEFAULTS.webhookBodyLimitBytes,
            accept: async (reading, payloadChannel) => {
              const channel = payloadChannel ?? env.SRE_WEBHOOK_CHANNEL;
              if (!channel) return 'no_channel';
              return takeDatadogAlert(deps, reading, { channel });
            },
            deadLetter: (error, body) =>
              addDeadLetter(deps.runtime.db, {
                error: redactText(error, deps.runtime.secrets),
                body: redactText(body, deps.runtime.secrets),
                at: new Date(),
              }),
          },
          req,
          res,
        ).catch((err) => {
          logger.error({ err }, 'webhook failed');
          if (!res.headersSent) {
            res.writeHead(500);
            res.end();
          }
        });
      },
    },
  ];
  const receiver = options.appToken
    ? undefined
    : new HTTPReceiver({
        signingSecret: options.signingSecret ?? '',
        customRoutes,
        // Bolt answers 500 when it cannot read a signed event; unreadable input is the sender's fault.
        processEventErrorHandler: async ({ error, response, logger: l }) => {
          l.warn(`could not process event: ${error.message}`);
          if (!response.headersSent) {
            response.writeHead(
              'code' in error && error.code === 'slack_bolt_authorization_error' ? 401 : 400,
            );
            response.end();
          }
          return true;
        },
      });
  const app = new App({
    token: options.botToken,
    ...(options.appToken
      ? { appToken: options.appToken, socketMode: true, signingSecret: options.signingSecret }
      : { receiver }),
    clientOptions: { slackApiUrl: options.slackApiUrl },
    logLevel: LogLevel.WARN,
    ignoreSelf: true,
  });
  deps.client = app.client;
  // Queued and orphaned jobs in the database start now; the heartbeat keeps this process's leases.
  deps.jobs.start();

  app.event('message', async ({ event, context }) => {
    if (context.retryNum) return;
    await onMessage(deps, event as never);
  });
  app.event('app_mention', async ({ event, context }) => {
    if (context.retryNum) return;
    await onMention(deps, event as never);
  });
  app.event('reaction_added', async ({ event }) => {
    await onReaction(deps, event as never, true);
  });
  app.event('reaction_removed', async ({ event }) => {
    await onReaction(deps, event as never, false);
  });
  app.command('/investigate', async ({ command, ack, respond }) => {
    await ack();
    try {
      await onSlashCommand(deps, command, (text) => respond({ response_type: 'ephemeral', text }));
    } catch (err) {
      logger.error({ err }, '/investigate failed');
      await respond({
        response_type: 'ephemeral',
        text: `:warning: Could not start the investigation: ${(err as Error).message}`,
      });
    }
  });
  app.action(COMMENT_ACTION, async ({ action, ack, body }) => {
    await ack();
    const a = action as { value?: string };
    const b = body as ButtonBody & { trigger_id?: string };
    const place = actionPlace(b);
    if (a.value && b.trigger_id && place)
      await onCommentButton(deps, a.value, b.trigger_id, b.user.id, place).catch((err) =>
        logger.error({ err }, 'could not open the comment modal'),
      );
  });
  app.view(COMMENT_ACTION, async ({ ack, view, body }) => {
    let acked = false;
    const answer = async (errors?: Record<string, string>) => {
      acked = true;
      await (errors ? ack({ response_action: 'errors', errors }) : ack());
    };
    try {
      await onCommentSubmission(deps, view as never, body.user.id, answer);
    } catch (err) {
      logger.error({ err }, 'could not record a comment');
      if (!acked)
        await answer({ comment: 'Could not save your comment; please try again.' }).catch(() => undefined);
    }
  });
  app.action(/^feedback_(?!comment$)/, async ({ action, ack, body }) => {
    await ack();
    const a = action as { action_id: string; value?: string };
    const b = body as ButtonBody;
    const place = actionPlace(b);
    if (a.value && place) await onFeedbackButton(deps, a.action_id, a.value, b.user.id, place);
  });
  app.error(async (err) => {
    logger.error({ err }, 'unhandled Slack listener error');
  });
  return { app, deps };
}
