import { describe, expect, it } from 'vitest';
import { runCli } from '../../../app/cli';
import { renderDeadLetters } from '../../../app/commands/webhooks';
import { addDeadLetter, listDeadLetters } from '../../../data/webhook-dead-letters';
import { webhookBody } from '../gateway/notifications';
import { startSlackHarness, until, WEBHOOK_SECRET } from '../slack/harness';

/** Runs the CLI in-process with `env` set, capturing what it prints. */
async function sre(argv: string[], env: Record<string, string> = {}) {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  const out = { stdout: '', stderr: '' };
  const write = {
    stdout: process.stdout.write.bind(process.stdout),
    stderr: process.stderr.write.bind(process.stderr),
  };
  const capture = (stream: 'stdout' | 'stderr') =>
    ((c: string | Uint8Array) => {
      out[stream] += String(c);
      return true;
    }) as typeof process.stdout.write;
  process.stdout.write = capture('stdout');
  process.stderr.write = capture('stderr');
  Object.assign(process.env, env);
  process.exitCode = undefined;
  try {
    return { code: await runCli(argv), ...out };
  } finally {
    process.stdout.write = write.stdout;
    process.stderr.write = write.stderr;
    process.exitCode = undefined;
    for (const [k, v] of Object.entries(saved))
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
  }
}

const MONITOR = { id: '80001', name: 'Ledger write latency is high' };

describe('sre webhooks', { timeout: 120_000 }, () => {
  it('keeps what the app could not route, lists it, and replays it once the app can', async () => {
    // The app runs without SRE_WEBHOOK_CHANNEL: a good body has nowhere to go, so it is kept.
    const before = await startSlackHarness({ SRE_WEBHOOK_CHANNEL: '' });
    const dbPath = before.dbPath;
    const body = { ...webhookBody(MONITOR, 'Triggered', 1_800_000_000), note: `secret ${WEBHOOK_SECRET}` };
    const refused = await before.hook(body);
    expect(refused.status).toBe(422);
    expect(await refused.json()).toMatchObject({
      error: expect.stringMatching(/^no channel/),
      deadLetter: 1,
    });
    await before.close();

    const listed = await sre(['webhooks', '--failed', '--db', dbPath]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^#1 {2}\S+ {2}no channel: set SRE_WEBHOOK_CHANNEL/);
    expect(listed.stdout).toContain('Ledger write latency is high');
    expect(listed.stdout).not.toContain(WEBHOOK_SECRET);

    // Configured now: the replay goes through the same intake and opens the thread.
    const after = await startSlackHarness({ SRE_DB_PATH: dbPath });
    try {
      const env = { SRE_WEBHOOK_SECRET: WEBHOOK_SECRET };
      const replayed = await sre(['webhooks', '--replay', '1', '--url', after.base, '--db', dbPath], env);
      expect(replayed.stderr).toBe('');
      expect(replayed.code).toBe(0);
      expect(replayed.stdout).toMatch(/^#1 accepted \(202\)/);
      const root = await until(() =>
        after
          .messages()
          .find((m) => m.channel === 'C0WEBHOOK' && !m.threadTs && m.text.includes(MONITOR.name)),
      );
      await until(() => after.messages().find((m) => m.threadTs === root.ts && m.blocks));
      expect(listDeadLetters(after.runtime.db)).toEqual([]);
      expect(listDeadLetters(after.runtime.db, { includeReplayed: true })[0]).toMatchObject({
        id: 1,
        replayResult: expect.stringMatching(/^202 /),
      });

      // A body that still cannot be read is refused again, stays listed once, and exits 1.
      const stillBad = addDeadLetter(after.runtime.db, {
        error: 'missing "title"',
        body: '{"no":"title"}',
        at: new Date(0),
      });
      const again = await sre(
        ['webhooks', '--replay', String(stillBad), '--url', after.base, '--db', dbPath],
        env,
      );
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/refused again \(422\).*missing \\"title\\"/);
      expect(listDeadLetters(after.runtime.db).map((d) => d.id)).toEqual([stillBad]);
    } finally {
      await after.close();
    }
  });

  it('refuses a command line without exactly one of --failed and --replay, or a replay id that is not a number', async () => {
    expect((await sre(['webhooks'])).code).toBe(2);
    expect((await sre(['webhooks', '--failed', '--replay', '1'])).code).toBe(2);
    const bad = await sre(['webhooks', '--replay', 'abc']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--replay takes a dead letter's number/);
  });

  it('says when nothing failed, and shows a replayed one with its result', () => {
    expect(renderDeadLetters([])).toBe('No failed webhook deliveries.\n');
    expect(
      renderDeadLetters([
        {
          id: 3,
          receivedAt: '2030-01-01T00:00:00.000Z',
          error: 'missing "title"',
          body: '{\n  "no": "title"\n}',
          replayedAt: '2030-01-02T00:00:00.000Z',
          replayResult: '202 {"accepted":true}',
        },
      ]),
    ).toBe(
      '#3  2030-01-01T00:00:00.000Z  missing "title"  (replayed 2030-01-02T00:00:00.000Z: 202 {"accepted":true})\n      { "no": "title" }\n',
    );
  });
});
