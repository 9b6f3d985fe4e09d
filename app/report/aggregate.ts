import type { ReportRow } from '../../data/report-queries';

/** One group's numbers; null where there is no data (rendered as "—"), never NaN. */
export type ReportMetrics = {
  investigations: number;
  rated: number;
  helpfulRate: number | null;
  rootCauseSignals: number;
  confirmedRate: number | null;
  medianFirstReplyMs: number | null;
  medianSummaryMs: number | null;
  medianResolutionMs: number | null;
  tokens: number;
  meanTokens: number | null;
  costUsd: number;
  planners: Record<string, number>;
};
export type Report = {
  generatedAt: string;
  since: string;
  overall: ReportMetrics;
  byService: (ReportMetrics & { service: string })[];
  byWeek: (ReportMetrics & { week: string })[];
};

/** ISO week key of a date, e.g. 2026-W47 (weeks start on Monday; week 1 holds the first Thursday). */
export function isoWeek(iso: string): string {
  const d = new Date(iso);
  const day = (d.getUTCDay() + 6) % 7;
  const thursday = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day + 3));
  const year = thursday.getUTCFullYear();
  // The week's Thursday decides its year; count whole weeks from January 1 of that year.
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / 604_800_000) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Majority of ratings (a tie counts as not helpful); undefined when nobody rated it. */
export function wasHelpful(row: ReportRow): boolean | undefined {
  const up = row.feedback.filter((f) => f.kind === 'rating' && f.value === 'helpful').length;
  const down = row.feedback.filter((f) => f.kind === 'rating' && f.value === 'not_helpful').length;
  return up + down === 0 ? undefined : up > down;
}

/** Whether the top suspect was confirmed (by a person or a resolved incident); undefined without a signal. */
export function rootCauseConfirmed(row: ReportRow): boolean | undefined {
  const signals: boolean[] = [];
  for (const f of row.feedback) {
    if (f.kind !== 'root_cause') continue;
    if (f.value === 'confirmed') signals.push(true);
    else if (f.value === 'wrong' || f.value.startsWith('actual:')) signals.push(false);
  }
  for (const o of row.outcomes) if (o.matchedRank !== null || o.cause) signals.push(o.matchedRank === 1);
  return signals.length === 0 ? undefined : signals.includes(true);
}

export function serviceOf(row: ReportRow): string {
  return row.alert.service ?? row.topSuspectService ?? 'unknown';
}

function metrics(rows: readonly ReportRow[]): ReportMetrics {
  const helpful = rows.map(wasHelpful).filter((x) => x !== undefined);
  const confirmed = rows.map(rootCauseConfirmed).filter((x) => x !== undefined);
  const tokens = rows.map((r) => (r.usage?.promptTokens ?? 0) + (r.usage?.completionTokens ?? 0));
  const total = tokens.reduce((a, b) => a + b, 0);
  const planners: Record<string, number> = {};
  for (const r of rows) planners[r.planner] = (planners[r.planner] ?? 0) + 1;
  return {
    investigations: rows.length,
    rated: helpful.length,
    helpfulRate: helpful.length ? helpful.filter(Boolean).length / helpful.length : null,
    rootCauseSignals: confirmed.length,
    confirmedRate: confirmed.length ? confirmed.filter(Boolean).length / confirmed.length : null,
    medianFirstReplyMs: median(rows.flatMap((r) => (r.firstReplyMs === null ? [] : [r.firstReplyMs]))),
    medianSummaryMs: median(
      rows.flatMap((r) => (r.finishedAt ? [Date.parse(r.finishedAt) - Date.parse(r.startedAt)] : [])),
    ),
    medianResolutionMs: median(rows.flatMap((r) => r.outcomes.map((o) => o.resolutionMs))),
    tokens: total,
    meanTokens: rows.length ? total / rows.length : null,
    costUsd: Math.round(rows.reduce((a, r) => a + (r.usage?.costUsd ?? 0), 0) * 1e6) / 1e6,
    planners,
  };
}

function groupBy(rows: readonly ReportRow[], key: (r: ReportRow) => string): Map<string, ReportRow[]> {
  const out = new Map<string, ReportRow[]>();
  for (const r of rows) out.set(key(r), [...(out.get(key(r)) ?? []), r]);
  return out;
}

/** Pure: the whole report from the rows. */
export function aggregateReport(rows: readonly ReportRow[], since: string, now: Date): Report {
  return {
    generatedAt: now.toISOString(),
    since,
    overall: metrics(rows),
    byService: [...groupBy(rows, serviceOf)]
      .map(([service, rs]) => ({ service, ...metrics(rs) }))
      .sort((a, b) => b.investigations - a.investigations || a.service.localeCompare(b.service)),
    byWeek: [...groupBy(rows, (r) => isoWeek(r.startedAt))]
      .map(([week, rs]) => ({ week, ...metrics(rs) }))
      .sort((a, b) => a.week.localeCompare(b.week)),
  };
}
