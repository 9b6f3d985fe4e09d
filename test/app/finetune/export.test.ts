import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatRecord } from '../../../agent/finetune/chat-record';
import { validateChatRecord } from '../../../agent/finetune/validate';
import { investigate } from '../../../agent/investigate';
import type { InvestigationResult } from '../../../agent/result';
import { parseEnv } from '../../../app/config';
import { exportFineTuning } from '../../../app/finetune/export';
import { submitFineTuning } from '../../../app/finetune/submit';
import { silentLogger } from '../../../app/logger';
import { createRuntime, type Runtime } from '../../../app/runtime';
import { recordFeedback } from '../../../data/feedback';
import { recordStep, recordToolCall } from '../../../data/investigations';
import { fineTuneState } from '../../../sandbox/routes/openai-finetune';
import { DEMO } from '../../tools/helpers';

const CONFIGURED = 'dd-app-key-configured-0123456789';
const PLANTED = [
  CONFIGURED,
  'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
  'AKIAIOSFODNN7EXAMPLE',
  'xoxb-1234567890-abcdefghijkl',
];

describe('fine-tuning export (OpenAI chat format)', () => {
  let rt: Runtime;
  let good: InvestigationResult;
  let bad: InvestigationResult;
  let unrated: InvestigationResult;
  const dir = mkdtempSync(join(tmpdir(), 'finetune-'));
  beforeAll(async () => {
    rt = await createRuntime({
      env: parseEnv({}),
      logger: silentLogger,
      scenarioDir: DEMO,
      dbPath: join(dir, 'sre.db'),
    });
    rt.secrets = [CONFIGURED];
    good = await investigate({ alert: rt.alertFromScenario!, runtime: rt });
    bad = await investigate({ alert: rt.alertFromScenario!, runtime: rt });
    unrated = await investigate({ alert: rt.alertFromScenario!, runtime: rt });
    const at = new Date();
    recordFeedback(rt.db, { investigationId: good.id, userId: 'U1', kind: 'rating', value: 'helpful', at });
    recordFeedback(rt.db, {
      investigationId: good.id,
      userId: 'U2',
      kind: 'root_cause',
      value: 'confirmed',
      at,
    });
    recordFeedback(rt.db, {
      investigationId: bad.id,
      userId: 'U1',
      kind: 'rating',
      value: 'not_helpful',
      at,
    });
    // Secrets planted in the stored trace: a thought, a tool input and a tool result.
    recordStep(rt.db, good.id, {
      n: 1,
      thought: `Reading the monitor with ${PLANTED[1]} just in case`,
      createdAt: at.toISOString(),
    });
    recordToolCall(rt.db, good.id, {
      stepN: 1,
      callId: 'call_planted',
      tool: 'datadog.logs',
      input: { query: `service:checkout ${PLANTED[2]}` },
      ok: true,
      summary: `config dump: value ${CONFIGURED} slack=${PLANTED[3]}`,
      error: null,
      ms: 3,
    });
  }, 60_000);
  afterAll(() => rt.close());

  it('writes only positively rated traces, each valid, with no planted secret', () => {
    const out = join(dir, 'train.jsonl');
    const report = exportFineTuning(rt.db, {
      out,
      secrets: rt.secrets,
      tools: rt.tools,
      catalog: rt.catalog,
    });
    expect(report.written).toBe(1);
    expect(report.skipped).toEqual(
      expect.arrayContaining([
        { id: bad.id, reason: 'rated negatively (-1)' },
        { id: unrated.id, reason: 'not rated' },
      ]),
    );
    const text = readFileSync(out, 'utf8');
    for (const secret of PLANTED) expect(text).not.toContain(secret);
    expect(text).toContain('[REDACTED:configured-secret]');
    const lines = text.trim().split('\n');
    expect(lines).toHaveLength(1);
    const record = JSON.parse(lines[0]!) as ChatRecord;
    expect(validateChatRecord(record)).toEqual([]);
    expect(record.messages.map((m) => m.role).slice(0, 4)).toEqual(['system', 'user', 'assistant', 'tool']);
    expect(record.messages[1]!).toMatchObject({ role: 'user' });
    expect((record.messages[1] as { content: string }).content).toContain('Checkout error rate');
    const declared = (record.tools ?? []).map((t) => (t as { function: { name: string } }).function.name);
    expect(declared).toEqual(expect.arrayContaining(['datadog_logs', 'github_changes']));
    const final = record.messages.at(-1) as { content: string };
    expect(JSON.parse(final.content)).toMatchObject({
      headline: good.summary.headline,
      confidence: good.summary.confidence,
    });
  });

  it('submits the file and starts a job through the openai client', async () => {
    const out = join(dir, 'submit.jsonl');
    exportFineTuning(rt.db, { out, secrets: rt.secrets, tools: rt.tools, catalog: rt.catalog });
    const client = new OpenAI({
      baseURL: `${rt.sandbox!.url}/v1`,
      apiKey: 'sk-test-fine-tune',
      maxRetries: 0,
    });
    const job = await submitFineTuning(client, out, 'gpt-4o-mini-2024-07-18');
    const state = fineTuneState(rt.sandbox!.world);
    expect(state.files[0]).toMatchObject({ id: job.fileId, purpose: 'fine-tune', filename: 'submit.jsonl' });
    expect(state.files[0]!.content).toBe(readFileSync(out, 'utf8'));
    expect(state.jobs[0]).toMatchObject({
      id: job.jobId,
      training_file: job.fileId,
      model: 'gpt-4o-mini-2024-07-18',
    });
    await expect(
      client.fineTuning.jobs.create({ training_file: 'file-unknown', model: 'x' }),
    ).rejects.toThrow(/invalid training_file/);
  });
});

describe('validating a chat fine-tuning record', () => {
  const fn = {
    type: 'function' as const,
    function: { name: 'datadog_logs', description: '', parameters: {} },
  };
  const call = (id: string, args = '{}') => ({
    id,
    type: 'function' as const,
    function: { name: 'datadog_logs', arguments: args },
  });

  it('accepts a well-formed transcript', () => {
    expect(
      validateChatRecord({
        messages: [
          { role: 'system', content: 's' },
          { role: 'user', content: 'u' },
          { role: 'assistant', tool_calls: [call('a')] },
          { role: 'tool', tool_call_id: 'a', content: 'r' },
          { role: 'assistant', content: 'done' },
        ],
        tools: [fn],
      }),
    ).toEqual([]);
  });

  it('names each problem: unanswered or unknown calls, undeclared functions, bad arguments, a bad ending', () => {
    const errors = validateChatRecord({
      messages: [
        { role: 'user', content: 'u' },
        {
          role: 'assistant',
          tool_calls: [
            call('a', '{not json'),
            { ...call('b'), function: { name: 'shell_exec', arguments: '{}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'a', content: 'r' },
        { role: 'tool', tool_call_id: 'zzz', content: 'r' },
        { role: 'assistant', tool_calls: [call('c')] },
      ],
      tools: [fn],
    });
    expect(errors.join('\n')).toMatch(/arguments of a are not JSON text/);
    expect(errors.join('\n')).toMatch(/function shell_exec is not declared/);
    expect(errors.join('\n')).toMatch(/tool_call_id zzz answers no pending call/);
    expect(errors.join('\n')).toMatch(/tool calls b were not answered/);
    expect(errors.join('\n')).toMatch(/last message must be an assistant answer/);
    expect(validateChatRecord({ messages: [] })).toEqual(['messages must be a non-empty array']);
    expect(
      validateChatRecord({
        messages: [
          { role: 'robot', content: 'x' },
          { role: 'assistant', content: 'y' },
        ],
      }).join(),
    ).toMatch(/unknown role robot/);
  });
});
