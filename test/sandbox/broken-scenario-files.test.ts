import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { investigate } from '../../agent/investigate';
import { parseEnv } from '../../app/config';
import { silentLogger } from '../../app/logger';
import { createRuntime } from '../../app/runtime';
import { searchKnowledge } from '../../tools/knowledge/search';
import { DEMO } from '../tools/helpers';

/** The demo world with three files broken the ways real folders break. */
function brokenDemo(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'broken-world-')), 'world');
  cpSync(DEMO, dir, { recursive: true });
  const logs = JSON.parse(readFileSync(join(dir, 'datadog/logs.json'), 'utf8')) as { timestamp: string }[];
  logs[2]!.timestamp = logs[2]!.timestamp.replace(/Z$/, '');
  writeFileSync(join(dir, 'datadog/logs.json'), JSON.stringify(logs));
  writeFileSync(
    join(dir, 'rootly/incidents.json'),
    readFileSync(join(DEMO, 'rootly/incidents.json'), 'utf8').slice(0, 200),
  );
  const runbook = join(dir, 'docs/runbooks/checkout-errors.md');
  writeFileSync(
    runbook,
    readFileSync(runbook, 'utf8').replace(/^title: .*$/m, 'title: Runbook: checkout 5xx errors'),
  );
  return dir;
}

const brokenRuntime = () =>
  createRuntime({ env: parseEnv({}), logger: silentLogger, scenarioDir: brokenDemo(), dbPath: ':memory:' });

describe('a world with broken files', () => {
  it('serves an error naming the file and field from the broken sources only', async () => {
    const runtime = await brokenRuntime();
    try {
      const res = await fetch(`${runtime.sandbox!.url}/v1/incidents`, {
        headers: { authorization: 'Bearer sandbox-token' },
      });
      expect(res.status).toBe(422);
      expect(((await res.json()) as { message: string }).message).toMatch(
        /^scenario file rootly\/incidents\.json is broken: not valid JSON/,
      );
      const events = await fetch(`${runtime.sandbox!.url}/api/v1/events?start=0&end=9999999999`, {
        headers: { 'dd-api-key': 'k', 'dd-application-key': 'a' },
      });
      expect(events.status).toBe(200);
    } finally {
      await runtime.close();
    }
  });

  it('is investigated: the broken sources are named as unchecked, the rest of the world still finds the commit', async () => {
    const runtime = await brokenRuntime();
    try {
      const result = await investigate({ alert: runtime.alertFromScenario!, runtime });
      expect(result.status).toBe('completed');
      const unchecked = result.summary.unchecked?.join('\n') ?? '';
      expect(unchecked).toMatch(
        /datadog\.logs: DataDog could not process .*scenario file datadog\/logs\.json is broken: field 2\.timestamp: expected an ISO 8601 time with a zone/,
      );
      expect(unchecked).toMatch(
        /rootly\.incidents: Rootly could not process .*rootly\/incidents\.json is broken: not valid JSON/,
      );
      expect(result.summary.suspects[0]!.ref).toMatch(/^7c1e9a4/);
      // The runbook whose front matter is not valid YAML was indexed, under the title it meant.
      const hits = await searchKnowledge(runtime, 'checkout 5xx errors runbook', { sources: ['runbook'] });
      expect(hits.find((h) => h.id === 'runbooks/checkout-errors.md')?.title).toBe(
        'Runbook: checkout 5xx errors',
      );
    } finally {
      await runtime.close();
    }
  }, 60_000);
});
