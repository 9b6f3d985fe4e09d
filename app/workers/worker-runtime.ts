import type { InvestigationRuntime } from '../../agent/investigate';
import { openDatabase } from '../../data/db';
import type { ServiceCatalog } from '../../tools/contract';
import { connectMcpServers, unavailableSources } from '../../tools/mcp/toolset';
import type { DataSources } from '../../tools/sources';
import type { Env } from '../config';
import { createLogger } from '../logger';
import { embedderFromEnv, type Runtime, runtimeTools } from '../runtime';

/**
 * What a worker needs to rebuild the main thread's runtime for itself: plain data only (a
 * database connection, clients and MCP sessions cannot cross threads, so each worker opens its
 * own; SQLite's WAL lets them share the one file).
 */
export type WorkerRuntimeSpec = {
  env: Env;
  dbPath: string;
  sources: DataSources;
  catalog: ServiceCatalog;
  /** A scenario's clock (ISO), fixed; unset, the wall clock. */
  fixedNow?: string;
  secrets: string[];
  limits: Runtime['limits'];
  llm?: Runtime['llm'];
  learning: boolean;
  unchecked: string[];
  logLevel: string;
};

export function workerRuntimeSpec(runtime: Runtime): WorkerRuntimeSpec {
  return {
    env: runtime.env,
    dbPath: runtime.db.name,
    sources: runtime.sources,
    catalog: runtime.catalog,
    ...(runtime.sandbox ? { fixedNow: runtime.now().toISOString() } : {}),
    secrets: runtime.secrets,
    limits: runtime.limits,
    ...(runtime.llm ? { llm: runtime.llm } : {}),
    learning: runtime.learning,
    unchecked: runtime.unchecked,
    logLevel: runtime.logger.level,
  };
}

/** In the worker: the same tools, limits and clock as the main thread's runtime, on its own connection. */
export async function workerRuntime(
  spec: WorkerRuntimeSpec,
): Promise<InvestigationRuntime & { close(): Promise<void> }> {
  const logger = createLogger(spec.logLevel);
  const embedder = embedderFromEnv(spec.env);
  // The main thread's MCP sessions cannot be shared: this worker connects its own.
  const mcp = spec.env.mcpServers
    ? await connectMcpServers(spec.env.mcpServers.servers, { logger })
    : undefined;
  const db = openDatabase(spec.dbPath);
  const fixedNow = spec.fixedNow;
  return {
    db,
    embedder,
    tools: runtimeTools(db, embedder, spec.sources, mcp),
    catalog: spec.catalog,
    now: () => (fixedNow ? new Date(fixedNow) : new Date()),
    logger,
    secrets: spec.secrets,
    limits: spec.limits,
    llm: spec.llm,
    learning: spec.learning,
    unchecked: mcp ? unavailableSources(mcp.servers) : spec.unchecked,
    close: async () => {
      db.close();
      await mcp?.close();
    },
  };
}
