import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { aggregateReport, isoWeek, median } from '../../../app/report/aggregate';
import { renderReportHtml } from '../../../app/report/render-html';
import { renderReportText } from '../../../app/report/render-text';
import { type Db, openDatabase } from '../../../data/db';
import { recordFeedback } from '../../../data/feedback';
import { createInvestigation, finishInvestigation, setSlackLocation } from '../../../data/investigations';
import { recordOutcome } from '../../../data/learning';
import { reportRows } from '../../../data/report-queries';

const HOSTILE = '<img src=x onerror=alert(1)>';

/** Seeds one finished investigation with its timings, usage and feedback. */
function seed(
  db: Db,
  id: string,
  o: {
    service: string;
    started: string;
    summaryMs: number;
    firstReplyMs?: number;
    tokens: number;
    cost: number;
    planner?: string;
  },
  feedback: [string, string][] = [],
) {
  createInvestigation(db, {
    id,
    alertKey: id,
    alert: { service: o.service, title: 't' },
    planner: o.planner ?? 'offline',
    startedAt: o.started,
  });
  if (o.firstReplyMs !== undefined) setSlackLocation(db, id, { firstReplyMs: o.firstReplyMs });
  finishInvestigation(db, id, {
    status: 'completed',
    finishedAt: new Date(Date.parse(o.started) + o.summaryMs).toISOString(),
    result: { summary: { suspects: [] } },
    usage: { promptTokens: o.tokens, completionTokens: 0, costUsd: o.cost },
  });
  feedback.forEach(([kind, value], i) => {
    recordFeedback(db, { investigationId: id, userId: `U${i}`, kind, value, at: new Date(o.started) });
  });
}

describe('sre report', () => {
  const dir = mkdtempSync(join(tmpdir(), 'report-'));
  const dbPath = join(dir, 'sre.db');
  beforeAll(() => {
    const db = openDatabase(dbPath);
    // Week 2026-W47: two checkout runs; week 2026-W48: one checkout run and one from a hostile service name.
    seed(
      db,
      'a',
      {
        service: 'checkout',
        started: '2026-11-17T10:00:00Z',
        summaryMs: 4_000,
        firstReplyMs: 300,
        tokens: 100,
        cost: 0.01,
      },
      [
        ['rating', 'helpful'],
        ['root_cause', 'confirmed'],
      ],
    );
    seed(
      db,
      'b',
      {
        service: 'checkout',
        started: '2026-11-18T10:00:00Z',
        summaryMs: 6_000,
        firstReplyMs: 500,
        tokens: 300,
        cost: 0.03,
        planner: 'llm',
      },
      [
        ['rating', 'helpful'],
        ['rating', 'not_helpful'],
      ],
    );
    seed(
      db,
      'c',
      { service: 'checkout', started: '2026-11-23T10:00:00Z', summaryMs: 10_000, tokens: 0, cost: 0 },
      [['rating', 'helpful']],
    );
    seed(
      db,
      'd',
      {
        service: HOSTILE,
        started: '2026-11-24T10:00:00Z',
        summaryMs: 2_000,
        firstReplyMs: 100,
        tokens: 0,
        cost: 0,
      },
      [['root_cause', 'actual:something-else']],
    );
    recordOutcome(db, {
      investigationId: 'c',
      incidentId: 'inc-1',
      source: 'rootly',
      title: 'x',
      startedAt: '2026-11-23T10:00:00Z',
      resolvedAt: '2026-11-23T10:40:00Z',
      resolutionMs: 40 * 60_000,
      cause: 'the commit',
      matchedRank: 1,
      matchedRef: 'abc',
      linkedAt: '2026-11-23T11:00:00Z',
    });
    db.close();
  });

  it('computes rates, medians, tokens and cost overall, per service and per ISO week', () => {
    const db = openDatabase(dbPath);
    const report = aggregateReport(
      reportRows(db, '2026-11-01T00:00:00Z'),
      '2026-11-01T00:00:00Z',
      new Date('2026-11-24T12:00:00Z'),
    );
    db.close();
    expect(report.overall).toMatchObject({
      investigations: 4,
      rated: 3,
      // a helpful, b tied (counts as not helpful), c helpful.
      helpfulRate: 2 / 3,
      rootCauseSignals: 3,
      // a confirmed, c confirmed by the resolved incident, d named another cause.
      confirmedRate: 2 / 3,
      medianFirstReplyMs: 300,
      medianSummaryMs: 5_000,
      medianResolutionMs: 40 * 60_000,
      tokens: 400,
      meanTokens: 100,
      costUsd: 0.04,
      planners: { offline: 3, llm: 1 },
    });
    expect(report.byService.map((s) => [s.service, s.investigations, s.helpfulRate])).toEqual([
      ['checkout', 3, 2 / 3],
      [HOSTILE, 1, null],
    ]);
    expect(report.byWeek.map((w) => [w.week, w.investigations, w.medianSummaryMs])).toEqual([
      ['2026-W47', 2, 5_000],
      ['2026-W48', 2, 6_000],
    ]);
    const text = renderReportText(report);
    expect(text).toContain('67%');
    expect(text).not.toContain('NaN');
    expect(text).toContain('—');
  });

  it('writes a self-contained HTML report with charts and escaped names', () => {
    const db = openDatabase(dbPath);
    const html = renderReportHtml(
      aggregateReport(reportRows(db, '2026-11-01T00:00:00Z'), '2026-11-01T00:00:00Z', new Date()),
    );
    db.close();
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script|<link|src="http|href="http/);
    expect(html).not.toContain(HOSTILE);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('runs from the command line: --json, --html and a bad --since', async () => {
    const exec = promisify(execFile);
    const root = join(import.meta.dirname, '..', '..', '..');
    const html = join(dir, 'report.html');
    const run = (args: string[]) =>
      exec(process.execPath, ['--import', 'tsx', 'app/cli.ts', 'report', '--db', dbPath, ...args], {
        cwd: root,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          NO_COLOR: '1',
          SRE_DB_PATH: join(dir, 'unused.db'),
        },
      });
    const { stdout, stderr } = await run(['--json', '--since', '2026-11-01', '--html', html]);
    expect(JSON.parse(stdout).overall.investigations).toBe(4);
    expect(stderr).toContain(`HTML report written to ${html}`);
    expect(readFileSync(html, 'utf8')).toContain('Helpful rate per week');
    await expect(run(['--since', 'last tuesday'])).rejects.toMatchObject({ code: 2 });
  }, 30_000);

  it('has the small pieces right: ISO weeks across year ends, medians of even counts', () => {
    expect(isoWeek('2026-01-01T00:00:00Z')).toBe('2026-W01');
    expect(isoWeek('2024-12-30T00:00:00Z')).toBe('2025-W01');
    expect(isoWeek('2021-01-03T00:00:00Z')).toBe('2020-W53');
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});
