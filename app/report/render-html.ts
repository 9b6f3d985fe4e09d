import type { Report } from './aggregate';

/** Text from alerts and services is untrusted: escaped for HTML text and attributes. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

type Bar = { label: string; value: number | null; text: string };

/** Pure: a horizontal bar chart as inline SVG (no scripts, no external assets). */
export function barChart(title: string, bars: readonly Bar[], max?: number): string {
  const top = max ?? Math.max(1, ...bars.map((b) => b.value ?? 0));
  const rowH = 26;
  const h = 30 + bars.length * rowH;
  const rows = bars
    .map((b, i) => {
      const y = 30 + i * rowH;
      const w = b.value === null ? 0 : Math.round((b.value / top) * 360);
      return `<text x="0" y="${y + 15}" class="label">${escapeHtml(b.label.slice(0, 28))}</text><rect x="190" y="${y + 3}" width="${w}" height="16" rx="3" class="bar"/><text x="${196 + w}" y="${y + 15}" class="value">${escapeHtml(b.text)}</text>`;
    })
    .join('');
  return `<figure><svg role="img" aria-label="${escapeHtml(title)}" width="640" height="${h}" viewBox="0 0 640 ${h}"><text x="0" y="16" class="title">${escapeHtml(title)}</text>${rows}</svg></figure>`;
}

const pct = (x: number | null) => (x === null ? '—' : `${Math.round(x * 100)}%`);
const secs = (ms: number | null) => (ms === null ? '—' : `${(ms / 1000).toFixed(1)} s`);

/** Pure: one self-contained HTML page with the report's charts and tables. */
export function renderReportHtml(report: Report): string {
  const o = report.overall;
  const rows = report.byService
    .map(
      (s) =>
        `<tr><td>${escapeHtml(s.service)}</td><td>${s.investigations}</td><td>${pct(s.helpfulRate)}</td><td>${pct(s.confirmedRate)}</td><td>${secs(s.medianFirstReplyMs)}</td><td>${secs(s.medianSummaryMs)}</td><td>${s.tokens}</td><td>$${s.costUsd.toFixed(4)}</td></tr>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>SRE Assistant report</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2rem;color:#1d2330;max-width:900px}
h1{font-size:1.4rem} .cards{display:flex;gap:1rem;flex-wrap:wrap}
.card{border:1px solid #d8dde6;border-radius:8px;padding:.6rem 1rem;min-width:8rem}
.card b{display:block;font-size:1.4rem} table{border-collapse:collapse;margin-top:1rem}
td,th{border-bottom:1px solid #e4e7ee;padding:.3rem .6rem;text-align:right} td:first-child,th:first-child{text-align:left}
.bar{fill:#4c7bd9} .label,.value{font-size:12px;fill:#1d2330} .title{font-size:14px;font-weight:600;fill:#1d2330}
</style></head><body>
<h1>SRE Assistant report</h1>
<p>Investigations since ${escapeHtml(report.since.slice(0, 10))}; generated ${escapeHtml(report.generatedAt.slice(0, 16).replace('T', ' '))} UTC.</p>
<div class="cards">
<div class="card"><b>${o.investigations}</b>investigations</div>
<div class="card"><b>${pct(o.helpfulRate)}</b>helpful (${o.rated} rated)</div>
<div class="card"><b>${pct(o.confirmedRate)}</b>root cause confirmed</div>
<div class="card"><b>${secs(o.medianFirstReplyMs)}</b>median first reply</div>
<div class="card"><b>${secs(o.medianSummaryMs)}</b>median to summary</div>
<div class="card"><b>$${o.costUsd.toFixed(4)}</b>${o.tokens} tokens</div>
</div>
${barChart(
  'Helpful rate per week',
  report.byWeek.map((w) => ({ label: w.week, value: w.helpfulRate, text: pct(w.helpfulRate) })),
  1,
)}
${barChart(
  'Investigations per service',
  report.byService.map((s) => ({
    label: s.service,
    value: s.investigations,
    text: String(s.investigations),
  })),
)}
${barChart(
  'Median time to summary per week (s)',
  report.byWeek.map((w) => ({
    label: w.week,
    value: w.medianSummaryMs === null ? null : w.medianSummaryMs / 1000,
    text: secs(w.medianSummaryMs),
  })),
)}
<table><thead><tr><th>service</th><th>runs</th><th>helpful</th><th>root cause ok</th><th>1st reply p50</th><th>summary p50</th><th>tokens</th><th>cost</th></tr></thead>
<tbody>${rows}</tbody></table>
</body></html>
`;
}
