import { type Env, loadDotEnv, parseEnv } from '../config';
import { createLogger } from '../logger';
import { createRuntime, type Runtime } from '../runtime';

/** What every command shares: the parsed environment and a runtime that is always closed. */
export function commandEnv(): Env {
  loadDotEnv();
  return parseEnv();
}

export async function withRuntime<T>(
  options: { scenarioDir?: string; quiet?: boolean; mcp?: boolean },
  fn: (rt: Runtime) => Promise<T>,
): Promise<T> {
  const env = commandEnv();
  const logger = createLogger(
    options.quiet ? 'silent' : env.SRE_LOG_LEVEL === 'info' ? 'warn' : env.SRE_LOG_LEVEL,
  );
  const runtime = await createRuntime({ env, logger, scenarioDir: options.scenarioDir, mcp: options.mcp });
  try {
    return await fn(runtime);
  } finally {
    await runtime.close();
  }
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** A usage error: exits 2 with a clear message (the CLI's contract for bad command lines). */
export class UsageError extends Error {}
