import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Summary } from '../../../agent/result';
import { setScript } from '../../../sandbox/routes/openai';
import { type Harness, startSlackHarness, until } from './harness';

/**
 * A hybrid run in a real thread (Bolt in HTTP mode, the sandbox Slack API, the scripted model):
 * the first answer is the summary before the model's first call returns, and the model's
 * refinement then updates that same message.
 */
const BAD = '7c1e9a4fca1e8c891bf23250b571b2ecb2e147e2';
const confirming: Summary = {
  headline: 'Commit 7c1e9a4 broke checkout',
  rootCause: 'applyDiscount dereferences order.promo when it is undefined',
  confidence: 'high',
  suspects: [{ kind: 'commit', ref: BAD, title: 'Apply promo discounts', score: 0.9, evidence: ['ev_5'] }],
  impact: 'checkout errors',
  nextSteps: [],
  similarIncidents: [],
  runbooks: [],
};

describe('a hybrid investigation in a Slack thread', () => {
  let h: Harness;
  // A fresh app and world per test: each posts the same alert, which would otherwise join the first cycle.
  beforeEach(async () => {
    h = await startSlackHarness();
    h.runtime.llm = {
      apiKey: 'sk-test-hybrid-0123456789',
      baseURL: `${h.runtime.sandbox!.url}/v1`,
      model: 'gpt-4o-mini',
      toolMode: 'native',
      mode: 'hybrid',
    };
  });
  afterEach(() => h.close());

  it('shows the first answer before the model answers, then updates that summary with the refinement', async () => {
    let release: () => void = () => {};
    let released = false;
    const hold = new Promise<void>((r) => {
      release = () => {
        released = true;
        r();
      };
    });
    setScript(h.runtime.sandbox!.world, [
      {
        content: 'Re-rank with what is known.',
        toolCalls: [{ name: 'analysis_rescore', arguments: {} }],
        hold,
      },
      { content: 'Confirmed: the stack frame is in the change.' },
      { content: JSON.stringify(confirming) },
    ]);
    const event = JSON.parse(JSON.stringify(h.runtime.sandbox!.scenario.manifest.alert))
      .slackMessage as Record<string, unknown>;
    const answered = () =>
      h.runtime.sandbox!.requests.filter((r) => r.path === '/v1/chat/completions').length;
    const inThread = () => h.messages().filter((m) => m.threadTs === event.ts);
    try {
      expect((await h.postEvent(event)).status).toBe(200);
      // The model's first reply is held until the thread shows the first answer: were the order
      // the other way round, this wait would time out with the reply still held.
      const first = await until(() =>
        inThread().find((m) => JSON.stringify(m.blocks ?? []).includes('is refining it')),
      );
      expect(released).toBe(false);
      expect(answered()).toBe(0);
      const shown = JSON.stringify(first.blocks);
      expect(shown).toContain('Commit 7c1e9a4');
      expect(shown).toContain('gpt-4o-mini is refining it');
      expect(shown).not.toContain('feedback_helpful');
      release();
      const refined = await until(() =>
        inThread().find((m) => JSON.stringify(m.blocks ?? []).includes('Confirmed by gpt-4o-mini')),
      );
      // The same message, updated in place: the thread holds one summary.
      expect(refined.ts).toBe(first.ts);
      expect(inThread().filter((m) => m.blocks)).toHaveLength(1);
      expect(JSON.stringify(refined.blocks)).toContain('feedback_helpful');
      expect(JSON.stringify(refined.blocks)).toContain('hybrid');
      expect(answered()).toBe(3);
    } finally {
      release();
    }
  });

  it('says so in the summary when the model fails, and the offline answer stands', async () => {
    setScript(h.runtime.sandbox!.world, [{ status: 400, message: 'model not found' }]);
    const event = JSON.parse(JSON.stringify(h.runtime.sandbox!.scenario.manifest.alert))
      .slackMessage as Record<string, unknown>;
    expect((await h.postEvent(event)).status).toBe(200);
    const summary = await until(() =>
      h
        .messages()
        .find((m) => m.threadTs === event.ts && JSON.stringify(m.blocks ?? []).includes('feedback_helpful')),
    );
    const text = JSON.stringify(summary.blocks);
    expect(text).toMatch(/The model could not finish \(.*model not found.*\); the offline answer stands/);
    expect(text).toContain('Commit 7c1e9a4');
  });
});
