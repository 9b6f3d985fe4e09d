import type { AllMiddlewareArgs } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll } from 'vitest';
import { openDatabase } from '../../../../data/db';
import { type Sandbox, startSandbox } from '../../../../sandbox/server';
import { DEMO } from '../../../tools/helpers';

/**
 * Listeners are plain functions: a test calls one with Bolt's arguments, its `client` the real
 * WebClient pointed at the sandbox's Slack routes, and reads back what Slack received.
 */
export function sandboxSlack() {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox(DEMO);
  });
  afterAll(async () => {
    await sandbox.close();
  });
  return {
    get sandbox() {
      return sandbox;
    },
    /** A fresh store and client; `calls()` are the Web API calls made since (method and arguments). */
    session(methods: RegExp = /^chat\./) {
      const seenBefore = sandbox.requests.length;
      const client = new WebClient('xoxb-test', {
        slackApiUrl: `${sandbox.url}/api/`,
        retryConfig: { retries: 0 },
      });
      const calls = () =>
        sandbox.requests
          .slice(seenBefore)
          .map((r) => ({ method: r.path.slice('/api/'.length), args: r.body as Record<string, unknown> }))
          .filter((c) => methods.test(c.method));
      return { client, calls, db: openDatabase(':memory:'), logger: recordingLogger() };
    },
  };
}

/** Bolt's context for this app (auth.test of the sandbox says B0SREBOT / U0SREBOT). */
export function boltContext(extra: Partial<AllMiddlewareArgs['context']> = {}): AllMiddlewareArgs['context'] {
  return { isEnterpriseInstall: false, botId: 'B0SREBOT', botUserId: 'U0SREBOT', ...extra };
}

/** Bolt's logger interface, keeping what was logged. */
export function recordingLogger(): AllMiddlewareArgs['logger'] & {
  lines: { level: string; args: unknown[] }[];
} {
  const lines: { level: string; args: unknown[] }[] = [];
  const at =
    (level: string) =>
    (...args: unknown[]) =>
      void lines.push({ level, args });
  let level = 'info';
  return {
    lines,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level as ReturnType<AllMiddlewareArgs['logger']['getLevel']>,
    setName: () => {},
  };
}
