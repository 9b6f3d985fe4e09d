import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import { addDeadLetter } from '../../data/webhook-dead-letters';
import { redactText } from '../../lib/redact';
import type { Env } from '../config';
import { handleDatadogWebhook } from '../http/webhook';
import { takeDatadogAlert } from './alert-intake';
import { SLACK_DEFAULTS } from './defaults';
import { investigateInThread, type ThreadDeps } from './investigate-in-thread';
import { JobRunner, type JobRunnerOptions } from './job-runner';
import { type ListenerDeps, registerListeners } from './listeners/index';

/**
 * The Bolt app: the listeners (app/slack/listeners/), plus the custom routes (GET /healthz,
 * POST /webhooks/datadog) on the same port.
 */
export type SlackAppOptions = Omit<ThreadDeps, 'client' | 'jobs'> & {
  env: Env;
  /** Overrides of the job queue's settings (tests shorten the back-off); the rest come from env. */
  jobOptions?: Partial<JobRunnerOptions>;
  signingSecret?: string;
  appToken?: string;
  botToken: string;
  slackApiUrl: string;
};

/** What the app runs on: the thread runner's collaborators and the listeners' (a test may swap `env`). */
export type SlackAppDeps = ThreadDeps & ListenerDeps & { env: Env };

export function createSlackApp(options: SlackAppOptions): { app: App; deps: SlackAppDeps } {
  const { env, logger } = options;
  // The routes and listeners read `deps` only when requests arrive, after it is built below.
  let deps: SlackAppDeps;
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
  const thread: ThreadDeps = {
    runtime: options.runtime,
    client: app.client,
    queue: options.queue,
    investigate: options.investigate,
    progressIntervalMs: options.progressIntervalMs,
    logger,
    // The job runner runs its jobs with these same collaborators, itself included.
    get jobs() {
      return jobs;
    },
  };
  const jobs = new JobRunner(thread, {
    leaseMs: env.SRE_RUN_LEASE_MS,
    maxQueued: env.SRE_MAX_QUEUED,
    ...options.jobOptions,
  });
  deps = {
    ...thread,
    jobs,
    env,
    seen: new Set<string>(),
    takeAlert: (reading, place) => takeDatadogAlert(thread, reading, place),
    startInThread: (alert, channel, threadTs, recipient, followUp) =>
      investigateInThread(thread, alert, channel, threadTs, recipient, followUp),
  };
  // Queued and orphaned jobs in the database start now; the heartbeat keeps this process's leases.
  jobs.start();
  registerListeners(app, deps);

  app.error(async (err) => {
    logger.error({ err }, 'unhandled Slack listener error');
  });
  return { app, deps };
}
