import type { Report, ReportMetrics } from './aggregate';

const pct = (x: number | null) => (x === null ? '—' : `${Math.round(x * 100)}%`);
const secs = (ms: number | null) =>
  ms === null ? '—' : ms >= 60_000 ? `${(ms / 60_000).toFixed(1)} min` : `${(ms / 1000).toFixed(1)} s`;

const COLUMNS: [string, (m: ReportMetrics) => string][] = [
  ['runs', (m) => String(m.investigations)],
  ['rated', (m) => String(m.rated)],
  ['helpful', (m) => pct(m.helpfulRate)],
  ['root cause ok', (m) => pct(m.confirmedRate)],
  ['1st reply p50', (m) => secs(m.medianFirstReplyMs)],
  ['summary p50', (m) => secs(m.medianSummaryMs)],
  ['resolved p50', (m) => secs(m.medianResolutionMs)],
  ['tokens', (m) => String(m.tokens)],
  ['cost', (m) => `$${m.costUsd.toFixed(4)}`],
];

function table(title: string, rows: [string, ReportMetrics][]): string {
  const head = [title, ...COLUMNS.map(([h]) => h)];
  const body = rows.map(([label, m]) => [label, ...COLUMNS.map(([, f]) => f(m))]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(head), widths.map((w) => '─'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

/** Pure: the report as plain-text tables (overall, per service, per week). */
export function renderReportText(report: Report): string {
  return [
    `SRE Assistant report — investigations since ${report.since.slice(0, 10)} (generated ${report.generatedAt.slice(0, 16).replace('T', ' ')} UTC)`,
    '',
    table('overall', [['all', report.overall]]),
    '',
    table(
      'service',
      report.byService.map((s) => [s.service, s]),
    ),
    '',
    table(
      'week',
      report.byWeek.map((w) => [w.week, w]),
    ),
    '',
  ].join('\n');
}
