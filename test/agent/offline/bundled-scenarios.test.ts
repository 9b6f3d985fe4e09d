import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { investigate } from '../../../agent/investigate';
import { InvestigationResultSchema } from '../../../agent/result';
import { parseEnv } from '../../../app/config';
import { silentLogger } from '../../../app/logger';
import { createRuntime } from '../../../app/runtime';
import { scoreScenario } from '../../../app/scenario/eval-score';
import { listScenarioDirs } from '../../../sandbox/scenario';

const dirs = listScenarioDirs(join(import.meta.dirname, '..', '..', '..', 'sandbox', 'scenarios'));

describe('the offline investigator on the bundled scenarios', () => {
  it('has at least six scenarios with varied causes', () => {
    expect(dirs.length).toBeGreaterThanOrEqual(6);
  });

  it.each(dirs.map((d) => [d.split('/').pop()!, d]))(
    '%s: names the true cause first, with its runbook and similar incident',
    async (_name, dir) => {
      const dbPath = join(mkdtempSync(join(tmpdir(), 'offline-')), 'sre.db');
      const runtime = await createRuntime({
        env: parseEnv({}),
        logger: silentLogger,
        scenarioDir: dir,
        dbPath,
      });
      try {
        const result = await investigate({ alert: runtime.alertFromScenario!, runtime });
        expect(InvestigationResultSchema.safeParse(result).success).toBe(true);
        const score = scoreScenario(
          runtime.sandbox!.scenario.manifest.id,
          result,
          runtime.sandbox!.scenario.truth!,
        );
        expect(score, JSON.stringify(result.summary.suspects.slice(0, 3), null, 1)).toMatchObject({
          hit1: true,
          runbook: true,
          similarIncident: true,
        });
        expect(result.summary.confidence).not.toBe('none');
        expect(result.planner).toBe('offline');
      } finally {
        await runtime.close();
      }
    },
  );
});
