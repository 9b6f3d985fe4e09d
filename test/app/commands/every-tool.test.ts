import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEnv } from '../../../app/config';
import { silentLogger } from '../../../app/logger';
import { createRuntime } from '../../../app/runtime';
import { executeTool } from '../../../tools/execute';
import { DEMO } from '../../tools/helpers';

/** What `npm run sre -- tool <name> --input ... --scenario <demo>` runs, for every tool the demo offers. */
const INPUTS: Record<string, unknown> = {
  'datadog.monitor': { id: 41235 },
  'datadog.monitors': { tags: ['service:checkout'] },
  'datadog.metrics': { query: 'avg:system.cpu.user{service:checkout}' },
  'datadog.metrics_list': { service: 'checkout' },
  'datadog.logs': { query: 'service:checkout status:error' },
  'datadog.spans': { query: 'service:checkout' },
  'datadog.events': { tags: ['service:checkout'] },
  'github.changes': { service: 'checkout' },
  'github.commit': { repo: 'acme/checkout', sha: '7c1e9a4' },
  'rootly.incidents': { query: 'checkout promo' },
  'flags.changes': {},
  'knowledge.search': { query: 'roll back a deployment' },
  'slack.search_history': { query: 'rollback checkout' },
};

describe('every tool works against the demo scenario', () => {
  it('runs each offered tool with a real input and gets an ok Observation with a summary', async () => {
    const runtime = await createRuntime({
      env: parseEnv({}),
      logger: silentLogger,
      scenarioDir: DEMO,
      dbPath: join(mkdtempSync(join(tmpdir(), 'tools-')), 'sre.db'),
    });
    try {
      expect(runtime.tools.map((t) => t.name).sort()).toEqual(Object.keys(INPUTS).sort());
      for (const tool of runtime.tools) {
        const obs = await executeTool(tool, INPUTS[tool.name], {
          now: runtime.now(),
          signal: new AbortController().signal,
          deadline: Date.now() + 30_000,
          logger: silentLogger,
          catalog: runtime.catalog,
        });
        expect(obs.ok, `${tool.name}: ${obs.error}`).toBe(true);
        expect(obs.summary.length, tool.name).toBeGreaterThan(10);
      }
    } finally {
      await runtime.close();
    }
  });
});
