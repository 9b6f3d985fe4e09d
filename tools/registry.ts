import type { Tool } from './contract';
import { createDatadogTools } from './datadog/index';
import { createFlagTools } from './flags/index';
import { createGithubTools } from './github/index';
import { createK8sTools } from './k8s/index';
import { createRootlyTools } from './rootly/index';
import type { DataSources } from './sources';

/** The tools an investigation may use: only the families whose integration is configured. */
export type ToolRegistry = {
  list(): Tool[];
  get(name: string): Tool | undefined;
  has(name: string): boolean;
};

type Family = {
  [K in keyof DataSources]-?: { key: K; build: (cfg: NonNullable<DataSources[K]>) => Tool[] };
}[keyof DataSources];

const FAMILIES: Family[] = [
  { key: 'datadog', build: createDatadogTools },
  { key: 'github', build: (cfg) => createGithubTools(cfg) },
  { key: 'rootly', build: (cfg) => createRootlyTools(cfg) },
  { key: 'launchdarkly', build: (cfg) => createFlagTools(cfg) },
  { key: 'kubernetes', build: createK8sTools },
];

export function buildToolRegistry(sources: DataSources, extra: Tool[] = []): ToolRegistry {
  const tools: Tool[] = [];
  for (const family of FAMILIES) {
    const cfg = sources[family.key];
    if (cfg) tools.push(...(family.build as (c: typeof cfg) => Tool[])(cfg));
  }
  tools.push(...extra);
  const byName = new Map(tools.map((t) => [t.name, t]));
  return { list: () => [...byName.values()], get: (n) => byName.get(n), has: (n) => byName.has(n) };
}
