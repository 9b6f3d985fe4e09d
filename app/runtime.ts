import type { Logger } from 'pino';
import type { Alert } from '../agent/alert';
import type { Limits } from '../agent/defaults';
import type { LlmConfig } from '../agent/llm/client';
import { createLlmClient } from '../agent/llm/client';
import { type Db, openDatabase } from '../data/db';
import type { Embedder } from '../data/knowledge-store';
import { LocalEmbedder } from '../indexer/embed/local';
import { OpenAIEmbedder } from '../indexer/embed/openai';
import type { ServiceCatalog, Tool } from '../tools/contract';
import { createKnowledgeTools } from '../tools/knowledge/search';
import { connectMcpServers, type McpToolset, unavailableSources } from '../tools/mcp/toolset';
import { buildToolRegistry } from '../tools/registry';
import type { RootlyConfig } from '../tools/rootly/index';
import type { DataSources } from '../tools/sources';
import { type Env, integrationsOf, secretValues } from './config';
import { type MountedScenario, mountScenario } from './scenario/mount';

/**
 * Everything an investigation needs, assembled once: the DB, the embedder, the tools for the
 * configured sources (or a scenario's sandbox), the service catalog and the clock.
 */
export type Runtime = {
  env: Env;
  db: Db;
  embedder: Embedder;
  tools: Tool[];
  catalog: ServiceCatalog;
  now(): Date;
  logger: Logger;
  sandbox?: MountedScenario['sandbox'];
  alertFromScenario?: Alert;
  /** Secret values from the environment: redacted verbatim wherever they appear. */
  secrets: string[];
  limits: Limits;
  llm?: LlmConfig;
  /** Learned priors and examples are used (SRE_LEARNING). */
  learning: boolean;
  /** Rootly, when configured (or the scenario's sandbox): resolved incidents are linked to investigations. */
  rootly?: RootlyConfig;
  /** The SRE_MCP_SERVERS servers, when this runtime connected them: their guarded tools are in `tools`. */
  mcp?: McpToolset;
  /** Configured servers that did not start or answer: every investigation reports them as not checked. */
  unchecked: string[];
  /** Where the tools' clients point (plain data): an investigation worker builds the same tools from it. */
  sources: DataSources;
  close(): Promise<void>;
};

/** `local` (offline default) or any OpenAI-compatible embeddings endpoint; each gets its own vector space. */
export function embedderFromEnv(env: Env): Embedder {
  if (env.SRE_EMBEDDINGS === 'openai') {
    const client = createLlmClient({
      apiKey: env.OPENAI_API_KEY,
      baseURL: env.OPENAI_BASE_URL,
      model: env.SRE_EMBEDDING_MODEL,
      toolMode: 'native',
    });
    return new OpenAIEmbedder(client, env.SRE_EMBEDDING_MODEL, env.SRE_EMBEDDING_DIMENSIONS);
  }
  return new LocalEmbedder(env.SRE_EMBEDDING_DIMENSIONS);
}

export function llmFromEnv(env: Env): LlmConfig | undefined {
  if (!env.OPENAI_API_KEY && !env.OPENAI_BASE_URL) return undefined;
  if (env.SRE_LLM_MODE === 'offline') return undefined;
  return {
    apiKey: env.OPENAI_API_KEY,
    baseURL: env.OPENAI_BASE_URL,
    model: env.SRE_LLM_MODEL,
    toolMode: env.SRE_LLM_TOOL_MODE,
    mode: env.SRE_LLM_MODE,
    ...(env.SRE_LLM_PRICE ? { price: env.SRE_LLM_PRICE } : {}),
  };
}

export function limitsFromEnv(env: Env): Limits {
  return {
    maxSteps: env.SRE_MAX_STEPS,
    deadlineMs: env.SRE_DEADLINE_MS,
    maxTokens: env.SRE_MAX_TOKENS,
    maxCostUsd: env.SRE_MAX_COST_USD,
  };
}

export function dataSourcesFromEnv(env: Env): DataSources {
  return {
    ...(env.DD_API_KEY && env.DD_APP_KEY
      ? {
          datadog: {
            apiKey: env.DD_API_KEY,
            appKey: env.DD_APP_KEY,
            site: env.DD_SITE,
            baseUrl: env.DATADOG_API_URL,
          },
        }
      : {}),
    ...(env.GITHUB_TOKEN ? { github: { token: env.GITHUB_TOKEN, baseUrl: env.GITHUB_API_URL } } : {}),
    ...(env.ROOTLY_API_TOKEN ? { rootly: { token: env.ROOTLY_API_TOKEN, baseUrl: env.ROOTLY_API_URL } } : {}),
    ...(env.LAUNCHDARKLY_API_TOKEN
      ? { launchdarkly: { token: env.LAUNCHDARKLY_API_TOKEN, baseUrl: env.LAUNCHDARKLY_API_URL } }
      : {}),
    ...(integrationsOf(env).kubernetes ? { kubernetes: { context: env.SRE_K8S_CONTEXT } } : {}),
  };
}

/** The tools an investigation gets: the configured sources', the knowledge base's and the MCP servers'. */
export function runtimeTools(db: Db, embedder: Embedder, sources: DataSources, mcp?: McpToolset): Tool[] {
  return buildToolRegistry(sources, [
    ...createKnowledgeTools({ db, embedder }),
    ...(mcp?.tools ?? []),
  ]).list();
}

export async function createRuntime(options: {
  env: Env;
  logger: Logger;
  scenarioDir?: string;
  dbPath?: string;
  /**
   * Connect the SRE_MCP_SERVERS servers and add their tools. Only for what runs tools (investigate,
   * tools, the Slack app): other commands should not spawn servers they never call.
   */
  mcp?: boolean;
}): Promise<Runtime> {
  const { env, logger } = options;
  const scenarioDir = options.scenarioDir ?? env.SRE_SCENARIO;
  const embedder = embedderFromEnv(env);
  const mcp =
    options.mcp && env.mcpServers ? await connectMcpServers(env.mcpServers.servers, { logger }) : undefined;
  // What both kinds of runtime share: the DB, its tools over the given sources, the env settings.
  const assemble = (db: Db, sources: DataSources) => ({
    env,
    db,
    embedder,
    tools: runtimeTools(db, embedder, sources, mcp),
    sources,
    mcp,
    unchecked: mcp ? unavailableSources(mcp.servers) : [],
    logger,
    secrets: secretValues(env),
    limits: limitsFromEnv(env),
    llm: llmFromEnv(env),
    learning: env.SRE_LEARNING === 'on',
    rootly: sources.rootly,
  });
  if (scenarioDir) {
    const world = await mountScenario(scenarioDir, { env, logger, embedder, dbPath: options.dbPath }).catch(
      async (err) => {
        // A world that cannot be mounted must not leave MCP servers running.
        await mcp?.close();
        throw err;
      },
    );
    return {
      ...assemble(world.db, world.sources),
      catalog: world.catalog,
      now: world.now,
      sandbox: world.sandbox,
      alertFromScenario: world.alert,
      close: async () => {
        await world.close();
        await mcp?.close();
      },
    };
  }
  const db = openDatabase(options.dbPath ?? env.SRE_DB_PATH);
  return {
    ...assemble(db, dataSourcesFromEnv(env)),
    catalog: { services: {} },
    now: () => new Date(),
    close: async () => {
      db.close();
      await mcp?.close();
    },
  };
}
