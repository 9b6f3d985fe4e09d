import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultLimits, type Limits } from '../../../agent/defaults';
import type { InvestigationEvent } from '../../../agent/events';
import { investigate } from '../../../agent/investigate';
import type { LlmConfig } from '../../../agent/llm/client';
import type { Summary } from '../../../agent/result';
import { silentLogger } from '../../../app/logger';
import { alertFromScenario } from '../../../app/scenario/alert';
import { openDatabase } from '../../../data/db';
import { type ScriptedReply, setScript } from '../../../sandbox/routes/openai';
import type { Sandbox } from '../../../sandbox/server';
import { sandboxDataSources } from '../../../sandbox/sources';
import { buildToolRegistry } from '../../../tools/registry';
import { demoSandbox } from '../../tools/helpers';

/** The demo's bad commit (checkout) and a commit of another service that shipped before it. */
const BAD = '7c1e9a4fca1e8c891bf23250b571b2ecb2e147e2';
const OTHER = '5a0b6f398c';
/** The evidence id of the github.changes answer that lists OTHER (the offline run's 21st read). */
const OTHER_EVIDENCE = 'ev_21';

const answer = (ref: string | undefined, evidence: string[]): Summary => ({
  headline: ref ? `${ref.slice(0, 7)} broke checkout` : 'Nothing conclusive',
  rootCause: 'applyDiscount dereferences order.promo when it is undefined',
  confidence: ref ? 'high' : 'none',
  suspects: ref
    ? [{ kind: 'commit', ref, title: 'the model names it', service: 'checkout', score: 0.9, evidence }]
    : [],
  impact: 'checkout errors',
  nextSteps: ['Roll back'],
  similarIncidents: [],
  runbooks: [],
});

describe('hybrid investigations: the evidence model answers first, the scripted model refines it', () => {
  let sandbox: Sandbox;
  beforeEach(async () => {
    sandbox = await demoSandbox();
  });
  afterEach(() => sandbox.close());

  function run(replies: ScriptedReply[], opts: { limits?: Partial<Limits>; signal?: AbortSignal } = {}) {
    setScript(sandbox.world, replies);
    const llm: LlmConfig = {
      apiKey: 'sk-test-key-123456',
      baseURL: `${sandbox.url}/v1`,
      model: 'gpt-4o-mini',
      toolMode: 'native',
    };
    const events: InvestigationEvent[] = [];
    const done = investigate({
      alert: alertFromScenario(sandbox.scenario),
      runtime: {
        db: openDatabase(':memory:'),
        tools: buildToolRegistry(sandboxDataSources(sandbox.url)).list(),
        catalog: sandbox.scenario.manifest.catalog,
        now: () => new Date(sandbox.scenario.manifest.now),
        logger: silentLogger,
        secrets: [],
        limits: { ...defaultLimits(), ...opts.limits },
        llm,
      },
      onEvent: (e) => {
        events.push(e);
        if (e.type === 'first_answer') onFirst?.(e);
      },
      signal: opts.signal,
    });
    let onFirst: ((e: InvestigationEvent) => void) | undefined;
    const chats = () =>
      sandbox.requests
        .filter((r) => r.path === '/v1/chat/completions')
        .map((r) => r.body as { messages: { role: string; content: string | null }[]; tools?: unknown[] });
    return { done, events, chats, whenFirst: (f: (e: InvestigationEvent) => void) => (onFirst = f) };
  }

  const firstAnswerOf = (events: InvestigationEvent[]) => {
    const e = events.find((x) => x.type === 'first_answer');
    if (e?.type !== 'first_answer') throw new Error('no first answer');
    return e;
  };

  it('publishes the offline answer before the model is asked, briefs the model, and records a confirmation', async () => {
    const { done, events, chats } = run([
      { content: 'Re-rank with what is known.', toolCalls: [{ name: 'analysis_rescore', arguments: {} }] },
      { content: 'The rollout and the stack frame agree.' },
      { content: JSON.stringify(answer(BAD.slice(0, 7), ['ev_5'])) },
    ]);
    const result = await done;
    const first = firstAnswerOf(events);
    expect(first.result.planner).toBe('offline');
    expect(first.refiningWith).toBe('gpt-4o-mini');
    expect(first.result.summary.suspects[0]!.ref).toBe(BAD);
    // Nothing of the model happened before the first answer: its first thought and call come after.
    const at = (p: (e: InvestigationEvent) => boolean) => events.findIndex(p);
    expect(at((e) => e.type === 'first_answer')).toBeLessThan(at((e) => e.type === 'thought_delta'));
    expect(at((e) => e.type === 'first_answer')).toBeLessThan(
      at((e) => e.type === 'tool_started' && e.tool === 'analysis.rescore'),
    );

    expect(result.planner).toBe('hybrid');
    expect(result.status).toBe('completed');
    expect(result.refinement).toMatchObject({ model: 'gpt-4o-mini', outcome: 'confirmed' });
    expect(result.refinement!.note).toBe('Confirmed by gpt-4o-mini');
    expect(result.refinement!.offline.headline).toBe(first.result.summary.headline);
    expect(result.refinement!.firstAnswerMs).toBeLessThanOrEqual(result.usage.wallMs);
    expect(result.summary.suspects[0]!.ref).toBe(BAD);
    expect(result.summary.rootCause).toContain('order.promo');
    expect(result.usage.llmCalls).toBe(3);

    // The briefing: the ranked suspects with their evidence ids, the evidence index; analysis tools offered.
    const opening = chats()[0]!.messages[1]!.content!;
    expect(opening).toContain('Ranked suspects (evidence ids in brackets)');
    for (const id of first.result.summary.suspects[0]!.evidence) expect(opening).toContain(id);
    expect(JSON.stringify(chats()[0]!.tools)).toContain('analysis_rescore');
    // The analysis tool's answer cites evidence ids and comes back fenced as untrusted.
    const rescored = chats()[1]!.messages.find((m) => m.role === 'tool')!.content!;
    expect(rescored).toMatch(/untrusted output of analysis\.rescore/);
    expect(rescored).toMatch(/score 0\.\d+: .*\[ev_\d+/);
  });

  it('is overturned by a model that names another suspect and cites evidence that exists', async () => {
    const { done, events } = run([
      {
        content: 'Read what each rollout shipped.',
        toolCalls: [{ name: 'analysis_rollout_commits', arguments: {} }],
      },
      { content: 'The inventory batch write explains it.' },
      { content: JSON.stringify(answer(OTHER, [OTHER_EVIDENCE, 'ev_404'])) },
    ]);
    const result = await done;
    expect(result.refinement!.outcome).toBe('overturned');
    expect(result.refinement!.note).toMatch(
      new RegExp(`^Overturned by gpt-4o-mini: commit 5a0b6f398c \\(evidence ${OTHER_EVIDENCE}\\)`),
    );
    expect(result.summary.suspects[0]).toMatchObject({ ref: OTHER, evidence: [OTHER_EVIDENCE] });
    // The first answer is kept: in the trace, and its suspects below the model's.
    expect(result.refinement!.offline.suspects[0]!.ref).toBe(BAD);
    expect(result.summary.suspects.map((s) => s.ref)).toContain(BAD);
    expect(firstAnswerOf(events).result.summary.suspects[0]!.ref).toBe(BAD);
  });

  it('refuses a contradiction that cites no evidence that exists: the offline answer stands', async () => {
    const { done } = run([
      { content: 'I think it is inventory.' },
      { content: JSON.stringify(answer(OTHER, ['ev_999'])) },
    ]);
    const result = await done;
    expect(result.refinement!.outcome).toBe('refused');
    expect(result.refinement!.note).toContain('without citing evidence; the offline answer stands');
    expect(result.summary.suspects[0]!.ref).toBe(BAD);
    expect(result.summary.headline).toBe(result.refinement!.offline.headline);
  });

  it('keeps the offline answer when the model fails mid-run, and says so', async () => {
    const { done, events } = run([
      { content: 'Check the rollouts.', toolCalls: [{ name: 'analysis_rollout_commits', arguments: {} }] },
      { status: 400, message: 'context length exceeded' },
    ]);
    const result = await done;
    expect(result.planner).toBe('hybrid');
    expect(result.status).toBe('completed');
    expect(result.refinement!.outcome).toBe('failed');
    expect(result.refinement!.note).toMatch(
      /^The model could not finish \(.*context length exceeded.*\); the offline answer stands$/,
    );
    expect(result.summary.headline).toBe(firstAnswerOf(events).result.summary.headline);
    expect(events.some((e) => e.type === 'warning' && e.message.includes('offline answer stands'))).toBe(
      true,
    );
  });

  it('keeps the offline answer when the model times out (the run is cancelled while a call hangs)', async () => {
    let release: () => void = () => {};
    const hold = new Promise<void>((r) => {
      release = r;
    });
    const cancel = new AbortController();
    const { done, whenFirst } = run([{ content: 'never arrives', hold }], { signal: cancel.signal });
    whenFirst(() => setImmediate(() => cancel.abort(new Error('deadline'))));
    try {
      const result = await done;
      expect(result.refinement!.outcome).toBe('failed');
      expect(result.refinement!.note).toContain('timed out');
      expect(result.summary.suspects[0]!.ref).toBe(BAD);
    } finally {
      release();
    }
  });

  it('keeps the offline answer when the deadline passes while the model writes its summary', async () => {
    let release: () => void = () => {};
    const hold = new Promise<void>((r) => {
      release = r;
    });
    const cancel = new AbortController();
    const { done } = run(
      [
        { content: 'It agrees.' },
        {
          content: 'never arrives',
          hold,
          onArrival: () => setImmediate(() => cancel.abort(new Error('deadline'))),
        },
      ],
      { signal: cancel.signal },
    );
    try {
      const result = await done;
      expect(result.refinement!.outcome).toBe('failed');
      expect(result.refinement!.note).toBe(
        'The model could not finish (it timed out); the offline answer stands',
      );
      expect(result.summary.suspects[0]!.ref).toBe(BAD);
    } finally {
      release();
    }
  });

  it('keeps the offline answer when the token budget runs out during the refinement', async () => {
    const { done, chats } = run(
      [
        { content: 'Rescore.', toolCalls: [{ name: 'analysis_rescore', arguments: {} }] },
        { content: JSON.stringify(answer(OTHER, [OTHER_EVIDENCE])) },
      ],
      { limits: { maxTokens: 1_000 } },
    );
    const result = await done;
    expect(chats()).toHaveLength(1);
    expect(result.refinement!.outcome).toBe('failed');
    expect(result.refinement!.note).toBe(
      'The model could not finish (token budget exhausted); the offline answer stands',
    );
    expect(result.summary.suspects[0]!.ref).toBe(BAD);
  });
});
