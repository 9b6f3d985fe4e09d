import cron from 'node-cron';
import { investigate } from '../agent/investigate';
import { purgeInvestigationsOlderThan } from '../data/investigations';
import { parseScheduleSpec, startIndexSchedule } from '../indexer/schedule';
import { syncSource } from '../indexer/sync';
import { ConfigError, describeDisabled, integrationsOf, loadDotEnv, parseEnv } from './config';
import { knowledgeSourcesFromEnv } from './knowledge/from-env';
import { runLearning } from './learning/run-learning';
import { createLogger } from './logger';
import { createRuntime } from './runtime';
import { createSlackApp } from './slack/app';
import { SLACK_DEFAULTS } from './slack/defaults';
import { WorkQueue } from './slack/queue';
import { startInvestigations } from './workers/investigations';

/** `npm start`: the Slack app (Socket Mode or HTTP), the webhook and /healthz. */
async function main(): Promise<number> {
  loadDotEnv();
  let env: ReturnType<typeof parseEnv>;
  try {
    env = parseEnv();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  }
  const logger = createLogger(env.SRE_LOG_LEVEL);
  if (!integrationsOf(env).slack || !env.SLACK_BOT_TOKEN) {
    process.stderr.write(
      'Slack is not configured. Set SLACK_BOT_TOKEN and either SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode); see .env.sample and the README.\nTo see the investigator without Slack: npm run demo\n',
    );
    return 1;
  }
  for (const line of describeDisabled(env)) logger.info(line);
  const runtime = await createRuntime({ env, logger, mcp: true });
  const queue = new WorkQueue(env.SRE_MAX_CONCURRENT);
  // Investigations run in worker threads, so a storm of them never delays Bolt's acknowledgements.
  const investigations = startInvestigations(runtime, {
    workers: env.SRE_INVESTIGATION_WORKERS,
    inProcess: investigate,
  });
  const { app, deps } = createSlackApp({
    runtime,
    env,
    logger,
    queue,
    investigate: investigations.investigate,
    progressIntervalMs: env.SRE_PROGRESS_UPDATE_MS,
    botToken: env.SLACK_BOT_TOKEN,
    signingSecret: env.SLACK_SIGNING_SECRET,
    appToken: env.SLACK_APP_TOKEN,
    slackApiUrl: env.SLACK_API_URL,
  });
  // Retention: purge old investigations now and every night.
  const purge = () =>
    logger.info(
      { purged: purgeInvestigationsOlderThan(runtime.db, env.SRE_RETENTION_DAYS, new Date()) },
      'retention',
    );
  purge();
  const retention = cron.schedule('17 3 * * *', purge);
  const sources = knowledgeSourcesFromEnv(env);
  const schedule = env.SRE_INDEX_CRON
    ? startIndexSchedule(
        parseScheduleSpec(
          env.SRE_INDEX_CRON,
          sources.map((s) => s.name),
        ),
        (name) =>
          syncSource(runtime.db, runtime.embedder, sources.find((s) => s.name === name)!, {
            secrets: runtime.secrets,
          }),
        (source, err) => logger.error({ err, source }, 'scheduled indexing failed'),
      )
    : undefined;
  // Learning: link resolved incidents and recompute priors on a schedule (never two runs at once).
  const learning =
    env.SRE_LEARNING === 'on'
      ? startIndexSchedule(
          { learn: env.SRE_LEARN_CRON },
          async () => {
            const report = await runLearning({
              db: runtime.db,
              embedder: runtime.embedder,
              rootly: runtime.rootly,
              logger,
            });
            const { changes: _c, ...summary } = report;
            logger.info({ ...summary, changed: report.changes.length }, 'learned from feedback');
          },
          (_job, err) => logger.error({ err }, 'scheduled learning failed'),
        )
      : undefined;
  // Jobs a crash or a hurried shutdown left (their leases expired) are resumed by deps.jobs, now
  // and at every heartbeat; jobs another live process holds are left to it.
  await app.start(env.PORT);
  logger.info({ port: env.PORT, mode: env.SLACK_APP_TOKEN ? 'socket' : 'http' }, 'SRE Assistant is running');
  const stop = async () => {
    logger.info('shutting down: finishing running investigations');
    schedule?.stop();
    learning?.stop();
    retention.stop();
    // Running work finishes within the grace period; what is left stays queued in the DB.
    const finished = await deps.jobs.stop(SLACK_DEFAULTS.shutdownGraceMs);
    if (!finished) logger.warn('grace period over: unfinished investigations resume at the next start');
    await investigations.close();
    await app.stop();
    await runtime.close();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  return 0;
}

main().then(
  (code) => {
    if (code !== 0) process.exitCode = code;
  },
  (err) => {
    process.stderr.write(
      `SRE Assistant failed to start: ${err instanceof Error ? err.message : String(err)}\n`,
    );
    process.exitCode = 1;
  },
);
