import type { investigate } from '../agent/investigate';
import { parseEnv } from '../app/config';
import type { Runtime } from '../app/runtime';
import type { WorkQueue } from '../app/slack/queue';
import { startSlackHarness } from '../test/app/slack/harness';
import { DEMO } from '../test/tools/helpers';

/** The demo world the Slack benchmarks run on. */
export const DEMO_SCENARIO = DEMO;

/**
 * The Slack benchmarks' view of the tests' Slack harness (test/app/slack/harness.ts): the real
 * Bolt app in HTTP mode over the demo world, so a benchmark measures what the e2e tests check.
 */
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
  const h = await startSlackHarness(
    {},
    {
      investigate: options.investigate,
      concurrency: options.concurrency ?? parseEnv({}).SRE_MAX_CONCURRENT,
      progressIntervalMs: 1500,
    },
  );
  return {
    runtime: h.runtime,
    queue: h.deps.queue,
    template: (h.runtime.sandbox!.scenario.manifest.alert as { slackMessage: Record<string, unknown> })
      .slackMessage,
    postEvent: (event, eventId) => h.postEvent(event, {}, eventId),
    close: h.close,
  };
}
