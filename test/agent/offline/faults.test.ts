import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { investigate } from '../../../agent/investigate';
import { parseEnv } from '../../../app/config';
import { silentLogger } from '../../../app/logger';
import { createRuntime } from '../../../app/runtime';
import { DEMO } from '../../tools/helpers';

/** Each source failing in its own way: the run still ends with a summary that says what was not checked. */
const FAULTS: [string, string, Parameters<import('../../../sandbox/faults').FaultTable['add']>[1], RegExp][] =
  [
    ['GitHub down', '/repos', { status: 503 }, /github\.changes: GitHub returned HTTP 503/],
    [
      'DataDog logs rate limited',
      '/api/v2/logs',
      { status: 429, retryAfter: 0 },
      /datadog\.logs: DataDog rate limit/,
    ],
    ['Rootly malformed', '/v1/incidents', { malformed: true }, /rootly\.incidents: .*not valid JSON/],
    [
      'LaunchDarkly failing',
      '/api/v2/auditlog',
      { status: 500 },
      /flags\.changes: LaunchDarkly returned HTTP 500/,
    ],
  ];

const demoRuntime = () =>
  createRuntime({
    env: parseEnv({}),
    logger: silentLogger,
    scenarioDir: DEMO,
    dbPath: join(mkdtempSync(join(tmpdir(), 'faults-')), 'sre.db'),
  });

describe('the offline investigator when sources fail', () => {
  it.each(FAULTS)(
    '%s: completes, names what could not be checked, and still names the bad commit',
    async (_name, path, fault, expected) => {
      const runtime = await demoRuntime();
      try {
        runtime.sandbox!.faults.add(path, fault);
        const result = await investigate({ alert: runtime.alertFromScenario!, runtime });
        expect(result.status).toBe('completed');
        expect(result.summary.unchecked?.join('\n')).toMatch(expected);
        // The headline still leads with the demo's cause, from the sources that answered.
        expect(result.summary.headline).toMatch(/^\w+ 7c1e9a4 \w+ 5 min before errors rose on checkout$/);
      } finally {
        await runtime.close();
      }
    },
  );

  it('a source that hangs is cut off by the deadline: the run still answers and names it', async () => {
    const runtime = await demoRuntime();
    try {
      // The deadline is generous next to the healthy sources (a few hundred ms on a busy machine),
      // and the hanging source never answers within the test, so only the deadline can end it.
      runtime.limits = { ...runtime.limits, deadlineMs: 8_000 };
      runtime.sandbox!.faults.add('/v1/incidents', { latencyMs: 120_000 });
      const result = await investigate({ alert: runtime.alertFromScenario!, runtime });
      expect(result.summary.unchecked?.join('\n')).toMatch(
        /rootly\.incidents: .*timed out: no answer before the investigation's deadline/,
      );
      // The evidence that did arrive still names the bad commit.
      expect(result.summary.suspects[0]!.ref).toMatch(/^7c1e9a4/);
    } finally {
      await runtime.close();
    }
  }, 60_000);
});
