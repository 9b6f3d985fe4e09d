import { join } from 'node:path';
import { createLlmClient } from '../../agent/llm/client';
import { silentLogger } from '../../app/logger';
import { loadScenario, type Scenario } from '../../sandbox/scenario';
import { type Sandbox, startSandbox } from '../../sandbox/server';
import type { ToolContext } from '../../tools/contract';

export const DEMO = join(import.meta.dirname, '..', '..', 'sandbox', 'scenarios', 'checkout-bad-commit');

export async function demoSandbox(): Promise<Sandbox> {
  return startSandbox(DEMO);
}

export function contextFor(sandbox: Sandbox): ToolContext {
  return {
    now: new Date(sandbox.scenario.manifest.now),
    signal: new AbortController().signal,
    deadline: Date.now() + 30_000,
    logger: silentLogger,
    catalog: sandbox.scenario.manifest.catalog,
  };
}

/** A small world built in the test: the demo scenario with some of its sources replaced. */
export async function sandboxWith(overrides: Partial<Scenario>): Promise<Sandbox> {
  return startSandbox({ ...loadScenario(DEMO), ...overrides });
}

/** The real `openai` client pointed at the sandbox's scripted model (sandbox/routes/openai.ts). */
export function scriptedModelClient(sandbox: Sandbox, maxRetries = 0) {
  return createLlmClient(
    {
      apiKey: 'sk-test-key-123456',
      baseURL: `${sandbox.url}/v1`,
      model: 'gpt-4o-mini',
      toolMode: 'native',
    },
    { maxRetries, timeoutMs: 5_000 },
  );
}
