import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { investigate } from '../../../agent/investigate';
import { learnedHintText } from '../../../agent/learning/context';
import { loadLearnedContext } from '../../../agent/learning/load';
import type { InvestigationResult } from '../../../agent/result';
import { parseEnv } from '../../../app/config';
import { runLearning } from '../../../app/learning/run-learning';
import { silentLogger } from '../../../app/logger';
import { createRuntime, type Runtime } from '../../../app/runtime';
import { recordFeedback } from '../../../data/feedback';
import { listOutcomes, rollbackLearning } from '../../../data/learning';
import { setScript } from '../../../sandbox/routes/openai';

/**
 * The learning loop end to end, deterministic: investigate a bundled world, apply feedback (a
 * Slack reaction and the resolved Rootly incident), run `learn`, investigate the repeat, compare.
 */
const scenarios = join(import.meta.dirname, '..', '..', '..', 'sandbox', 'scenarios');
const work = mkdtempSync(join(tmpdir(), 'learning-'));
const open: Runtime[] = [];
afterAll(async () => {
  for (const rt of open) await rt.close();
});

function variant(name: string, edit: (dir: string) => void): string {
  const dir = join(work, name);
  cpSync(join(scenarios, name), dir, { recursive: true });
  edit(dir);
  return dir;
}

function editJson<T>(path: string, fn: (value: T) => T): void {
  writeFileSync(path, JSON.stringify(fn(JSON.parse(readFileSync(path, 'utf8')) as T), null, 2));
}

async function runtimeFor(dir: string): Promise<Runtime> {
  const rt = await createRuntime({
    env: parseEnv({}),
    logger: silentLogger,
    scenarioDir: dir,
    dbPath: join(dir, 'sre.db'),
  });
  open.push(rt);
  return rt;
}

const rankOf = (r: InvestigationResult, ref: string) =>
  r.summary.suspects.findIndex((s) => s.ref === ref) + 1;
const scoreOf = (r: InvestigationResult, ref: string) =>
  r.summary.suspects.find((s) => s.ref === ref)?.score ?? 0;
const toolOrder = (r: InvestigationResult, n: number) => r.steps[n - 1]!.actions.map((a) => a.tool);

type Incident = Record<string, unknown>;
const llmAnswer = {
  headline: 'Flag search-semantic-reranker',
  rootCause: 'flag',
  confidence: 'high',
  suspects: [],
  impact: '',
  nextSteps: [],
  similarIncidents: [],
  runbooks: [],
};

describe('learning from feedback makes the repeat investigation better', () => {
  it('search latency after a flag flip: a plausible commit ranked first; after feedback and learn the flag does', async () => {
    // The world: the reranker flag is the cause, and a retry commit that added the very log line
    // of the symptom ("slow response, retrying replica") was deployed in the same minute as the
    // flip, and no log line names the reranker: on the evidence the offline scorer prefers the commit.
    const dir = variant('search-flag-flip', (d) => {
      editJson<{ commits: unknown[]; deployments: unknown[] }>(
        join(d, 'github/acme/search.json'),
        (repo) => ({
          ...repo,
          commits: [
            ...repo.commits,
            {
              sha: 'd15c0ffee0000000000000000000000000000001',
              message: 'Retry slow shard responses on another replica',
              author: 'mia',
              date: '2026-09-02T10:50:00Z',
              files: [
                {
                  filename: 'src/query/replica_retry.rs',
                  additions: 40,
                  deletions: 3,
                  patch:
                    '@@ -10,3 +10,6 @@ fn query_shard(shard: &Shard) {\n+    if elapsed > SLOW_SHARD_MS {\n+        warn!("shard {} slow response, retrying replica", shard.name);\n+        return retry_on_replica(shard);\n+    }',
                },
              ],
            },
          ],
          deployments: [
            ...repo.deployments,
            {
              id: 4420,
              sha: 'd15c0ffee0000000000000000000000000000001',
              environment: 'production',
              createdAt: '2026-09-02T10:59:30Z',
              status: 'success',
              creator: 'mia',
            },
          ],
        }),
      );
      editJson<{ message: string }[]>(join(d, 'datadog/logs.json'), (logs) =>
        logs.filter((l) => !/reranker/.test(l.message)),
      );
      editJson<Incident[]>(join(d, 'rootly/incidents.json'), (list) => [
        ...list,
        {
          id: 'inc-search-0902',
          title: 'Search p95 latency elevated',
          summary: 'Search latency tripled for 40 minutes.',
          severity: 'sev3',
          services: ['search'],
          startedAt: '2026-09-02T11:02:00Z',
          resolvedAt: '2026-09-02T11:40:00Z',
          cause: 'The search-semantic-reranker flag was enabled for all traffic.',
          mitigation: 'Turned the flag off; latency recovered within minutes.',
        },
      ]);
    });
    const rt = await runtimeFor(dir);
    const alert = rt.alertFromScenario!;
    const commit = 'd15c0ffee0000000000000000000000000000001';
    const flag = 'search-semantic-reranker';

    const before = await investigate({ alert, runtime: rt });
    expect(rankOf(before, commit), JSON.stringify(before.summary.suspects.map((s) => [s.ref, s.score]))).toBe(
      1,
    );
    expect(rankOf(before, flag)).toBe(2);
    // Someone reacts :x: (root cause wrong) in the thread.
    recordFeedback(rt.db, {
      investigationId: before.id,
      userId: 'U1',
      kind: 'root_cause',
      value: 'wrong',
      at: new Date(),
    });

    const report = await runLearning({
      db: rt.db,
      embedder: rt.embedder,
      rootly: rt.rootly,
      logger: silentLogger,
    });
    expect(report.outcomes.linked).toBe(1);
    const [outcome] = listOutcomes(rt.db, before.id);
    expect(outcome).toMatchObject({
      incidentId: 'inc-search-0902',
      matchedRank: 2,
      matchedRef: flag,
      resolutionMs: 38 * 60_000,
    });
    const change = (kind: string, key: string) =>
      report.changes.find((c) => c.kind === kind && c.scope === 'search|latency' && c.key === key);
    expect(change('suspect_kind', 'feature_flag')?.after).toBeGreaterThan(1);
    expect(change('suspect_kind', 'deployment')?.after).toBeLessThan(1);
    expect(change('tool', 'flags.changes')?.after).toBeGreaterThan(change('tool', 'github.changes')!.after!);

    // The hints an LLM would get now name what settled it last time.
    const learned = await loadLearnedContext(rt.db, alert, {
      knownServices: Object.keys(rt.catalog.services),
    });
    const hints = learnedHintText(learned)!;
    expect(hints).toContain('search latency alerts');
    expect(hints).toMatch(/Start with: flags\.changes/);
    expect(hints).toContain('feature flag was the confirmed cause 1 time(s)');

    const after = await investigate({ alert, runtime: rt });
    console.log(
      `[learning] search-flag-flip repeat: true cause rank ${rankOf(before, flag)} -> ${rankOf(after, flag)}, ` +
        `score ${scoreOf(before, flag)} -> ${scoreOf(after, flag)}; wrongly blamed commit ${scoreOf(before, commit)} -> ${scoreOf(after, commit)}`,
    );
    expect(rankOf(after, flag)).toBe(1);
    expect(scoreOf(after, flag)).toBeGreaterThan(scoreOf(before, flag));
    // Tool order: the change-gathering step now asks the flag audit log first.
    const changeStep = before.steps.findIndex((s) => s.actions.some((a) => a.tool === 'flags.changes')) + 1;
    console.log(`[learning] change step order before: ${toolOrder(before, changeStep).join(', ')}`);
    console.log(`[learning] change step order after:  ${toolOrder(after, changeStep).join(', ')}`);
    expect(toolOrder(before, changeStep)[0]).toBe('github.changes');
    expect(toolOrder(after, changeStep)[0]).toBe('flags.changes');
    expect(after.steps[changeStep - 1]!.thought).toContain('Learned order: flags.changes first');

    // With a model configured, the learned hints and the worked example reach its prompt.
    rt.llm = {
      apiKey: 'sk-test',
      baseURL: `${rt.sandbox!.url}/v1`,
      model: 'gpt-4o-mini',
      toolMode: 'native',
    };
    setScript(rt.sandbox!.world, [
      { content: 'The reranker flag again.' },
      { content: JSON.stringify(llmAnswer) },
    ]);
    await investigate({ alert, runtime: rt });
    rt.llm = undefined;
    const prompt = rt.sandbox!.requests.find((r) => r.path === '/v1/chat/completions')!.rawBody;
    expect(prompt).toContain('Learned from rated past investigations of search latency alerts');
    expect(prompt).toContain('Example of a good past investigation 1');
    expect(prompt).toContain('Cause (confirmed): feature_flag search-semantic-reranker');
    expect(prompt).toContain('Wrongly blamed first: deployment d15c0ffee');
    // ...and the tools that settled it come first in the tool list.
    const offered = (JSON.parse(prompt) as { tools: { function: { name: string } }[] }).tools.map(
      (t) => t.function.name,
    );
    expect(offered.slice(0, 3).sort()).toEqual(['flags_changes', 'knowledge_search', 'rootly_incidents']);
    expect(offered.indexOf('flags_changes')).toBeLessThan(offered.indexOf('github_changes'));

    // Reversible: rolling the run back restores the defaults.
    expect(rollbackLearning(rt.db)).toBeNull();
    const rolledBack = await investigate({ alert, runtime: rt });
    expect(rankOf(rolledBack, commit)).toBe(1);
    expect(toolOrder(rolledBack, changeStep)).toEqual(toolOrder(before, changeStep));
  }, 60_000);

  it('notifications outage: the runbook the resolution used comes first next time', async () => {
    const dir = variant('notifications-upstream-outage', (d) => {
      editJson<Incident[]>(join(d, 'rootly/incidents.json'), (list) => [
        ...list,
        {
          id: 'inc-notif-0721',
          title: 'Password reset emails not arriving',
          summary: 'Emails failed for 35 minutes.',
          severity: 'sev2',
          services: ['notifications'],
          startedAt: '2026-07-21T15:50:00Z',
          resolvedAt: '2026-07-21T16:25:00Z',
          cause: 'SendGrid API outage: api.sendgrid.com timed out.',
          mitigation: 'Followed the email provider failover runbook and switched to Mailgun.',
        },
      ]);
    });
    const rt = await runtimeFor(dir);
    const alert = rt.alertFromScenario!;
    const failover = 'runbooks/email-provider-failover.md';
    const before = await investigate({ alert, runtime: rt });
    const runbookRank = (r: InvestigationResult) =>
      r.summary.runbooks.findIndex((x) => x.id === failover) + 1;
    expect(runbookRank(before)).toBe(2);

    const report = await runLearning({
      db: rt.db,
      embedder: rt.embedder,
      rootly: rt.rootly,
      logger: silentLogger,
    });
    expect(report.outcomes.linked).toBe(1);
    expect(listOutcomes(rt.db, before.id)[0]).toMatchObject({ matchedRank: 1 });
    expect(report.changes.find((c) => c.kind === 'document' && c.key === failover)?.after).toBeGreaterThan(0);
    expect(report.examples).toBe(1);
    // Idempotent: learning again links nothing twice and changes nothing.
    const again = await runLearning({
      db: rt.db,
      embedder: rt.embedder,
      rootly: rt.rootly,
      logger: silentLogger,
    });
    expect(again).toMatchObject({ outcomes: { linked: 0 }, changes: [] });
    expect(listOutcomes(rt.db, before.id)).toHaveLength(1);

    const after = await investigate({ alert, runtime: rt });
    console.log(
      `[learning] notifications repeat: failover runbook rank ${runbookRank(before)} -> ${runbookRank(after)}`,
    );
    expect(runbookRank(after)).toBe(1);
    // The knowledge tool says why a page moved.
    expect(after.evidence.find((e) => e.tool === 'knowledge.search')?.summary).toMatch(/learned \+\d+%/);

    // Worked examples: the confirmed investigation is found for the same kind of alert, within budget.
    const withExamples = await loadLearnedContext(rt.db, alert, { embedder: rt.embedder });
    expect(withExamples.examples).toHaveLength(1);
    expect(withExamples.examples[0]).toContain('Cause (confirmed): dependency');
    expect(withExamples.examples[0]!.length).toBeLessThanOrEqual(700);
  }, 60_000);

  it('Rootly down during learn: the run still learns from explicit feedback and says what failed', async () => {
    const rt = await runtimeFor(variant('gateway-ratelimit-event', () => {}));
    const result = await investigate({ alert: rt.alertFromScenario!, runtime: rt });
    recordFeedback(rt.db, {
      investigationId: result.id,
      userId: 'U1',
      kind: 'rating',
      value: 'helpful',
      at: new Date(),
    });
    rt.sandbox!.faults.add('/v1/incidents', { status: 500 });
    const report = await runLearning({
      db: rt.db,
      embedder: rt.embedder,
      rootly: rt.rootly,
      logger: silentLogger,
    });
    expect(report.outcomes.error).toMatch(/500/);
    expect(report).toMatchObject({ investigations: 1, rated: 1, outcomes: { linked: 0 } });
    expect(report.changes.some((c) => c.kind === 'tool')).toBe(true);
  }, 60_000);
});
