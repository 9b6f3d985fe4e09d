import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostedMessage } from '../../../sandbox/routes/slack';
import { type Monitor, webhookBody } from '../gateway/notifications';
import { type Harness, startSlackHarness, until } from './harness';

/**
 * The durable job queue's policy through the real app: webhooks reach the real route, the one
 * run slot is held busy while alerts arrive, and what each thread ends with is read from the
 * sandbox Slack API. The queue's clock is the test's, so waits are exact.
 */
let h: Harness;
let clock = Date.parse('2030-01-01T00:00:00Z');
beforeAll(async () => {
  h = await startSlackHarness(
    { SRE_MAX_QUEUED: '3' },
    { concurrency: 1, jobOptions: { now: () => clock, openBackoffMs: [100] } },
  );
}, 60_000);
afterAll(async () => {
  await h.close();
});

const SECOND = 1_800_000_000;
const monitor = (id: string): Monitor => ({ id, name: `Queue policy monitor ${id}` });
const isSummary = (m: PostedMessage) => JSON.stringify(m.blocks ?? []).includes('feedback_helpful');

/** Holds the only run slot (once the runs before have left it) until the returned function is called. */
async function holdTheSlot(): Promise<() => void> {
  let release: (() => void) | undefined;
  void h.deps.queue.run(() => new Promise<void>((r) => (release = r)));
  return until(() => release);
}

/** Sends a Triggered (or `transition`) webhook for `m` with `priority`; the job exists once it answers. */
async function alert(m: Monitor, priority: string, transition = 'Triggered', at = SECOND) {
  const res = await h.hook({ ...webhookBody(m, transition, at), alert_priority: priority });
  expect(res.status).toBe(202);
}

const rootOf = (m: Monitor) =>
  until(() => h.messages().find((x) => x.channel === 'C0WEBHOOK' && !x.threadTs && x.text.includes(m.name)));
const rootsOf = (m: Monitor) =>
  h.messages().filter((x) => x.channel === 'C0WEBHOOK' && !x.threadTs && x.text.includes(m.name));
const thread = (ts: string) => h.messages().filter((x) => x.threadTs === ts);

/** Monitor ids in the order their investigations started. */
function runOrder(ids: string[]): string[] {
  return (
    h.runtime.db
      .prepare(`SELECT json_extract(alert, '$.monitorId') AS m FROM investigations ORDER BY rowid`)
      .all() as { m: string }[]
  )
    .map((r) => r.m)
    .filter((m) => ids.includes(m));
}

const waitingJobs = () =>
  (
    h.runtime.db
      .prepare(`SELECT count(*) AS n FROM thread_jobs WHERE state IN ('opening','queued')`)
      .get() as { n: number }
  ).n;

describe('the durable job queue', () => {
  it('runs P1 and P2 ahead of P4 and P5, whatever the order they arrived in', async () => {
    const release = await holdTheSlot();
    const [p5, p4, p1] = [monitor('90001'), monitor('90002'), monitor('90003')];
    await alert(p5, 'P5');
    await alert(p4, 'P4');
    await alert(p1, 'P1');
    await until(() => (waitingJobs() === 3 ? true : undefined));
    release();
    await until(() => (runOrder([p5.id, p4.id, p1.id]).length === 3 ? true : undefined));
    expect(runOrder([p5.id, p4.id, p1.id])).toEqual([p1.id, p4.id, p5.id]);
    for (const m of [p5, p4, p1]) {
      const root = await rootOf(m);
      await until(() => (thread(root.ts).some(isSummary) ? true : undefined));
    }
  });

  it("shows the queue's depth and its oldest wait on /healthz", async () => {
    const release = await holdTheSlot();
    await alert(monitor('90011'), 'P3');
    await alert(monitor('90012'), 'P3');
    await until(() => (waitingJobs() === 2 ? true : undefined));
    clock += 42_000;
    const health = (await (await fetch(`${h.base}/healthz`)).json()) as Record<string, unknown>;
    expect(health).toMatchObject({ ok: true, queueDepth: 2, oldestWaitMs: 42_000, running: 0 });
    release();
    await until(() => (waitingJobs() === 0 ? true : undefined));
  });

  it("coalesces a monitor's queued cycle into its newest: the older thread is told, only the newest is investigated", async () => {
    const release = await holdTheSlot();
    const m = monitor('90021');
    await alert(m, 'P3', 'Triggered', SECOND);
    const older = await rootOf(m);
    await alert(m, 'P3', 'Recovered', SECOND + 600);
    await alert(m, 'P3', 'Triggered', SECOND + 1200);
    await until(() => (rootsOf(m).length === 2 ? true : undefined));
    release();
    const newer = rootsOf(m).find((r) => r.ts !== older.ts)!;
    await until(() => (thread(newer.ts).some(isSummary) ? true : undefined));
    await until(() => (thread(older.ts).some((x) => x.text.startsWith(':fast_forward:')) ? true : undefined));
    expect(thread(older.ts).some(isSummary)).toBe(false);
    expect(runOrder([m.id])).toEqual([m.id]);
  });

  it('beyond SRE_MAX_QUEUED answers the lowest-priority oldest "queue full, not investigated" in its thread', async () => {
    const release = await holdTheSlot();
    const [p3, oldP5, newP5, p2] = [monitor('90031'), monitor('90032'), monitor('90033'), monitor('90034')];
    await alert(p3, 'P3');
    await alert(oldP5, 'P5');
    await alert(newP5, 'P5');
    await alert(p2, 'P2');
    const full = await rootOf(oldP5);
    await until(() => (thread(full.ts).length > 0 ? true : undefined));
    release();
    await until(() =>
      thread(full.ts).some((x) => x.text.includes('Queue full, not investigated')) ? true : undefined,
    );
    for (const m of [p3, newP5, p2]) {
      const root = await rootOf(m);
      await until(() => (thread(root.ts).some(isSummary) ? true : undefined));
    }
    expect(thread(full.ts).some(isSummary)).toBe(false);
    expect(runOrder([p3.id, oldP5.id, newP5.id, p2.id])).toEqual([p2.id, p3.id, newP5.id]);
  });
});
