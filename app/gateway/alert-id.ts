import { createHash } from 'node:crypto';

/** A stable dedupe key per alert cycle: the same monitor + scope + cycle start gives the same id. */
export function alertCycleId(parts: readonly (string | undefined)[]): string {
  return `alert_${createHash('sha256')
    .update(parts.map((p) => p ?? '').join('|'))
    .digest('hex')
    .slice(0, 16)}`;
}

/** Parses `[Triggered]`, `[Re-Triggered]`, `[Warn]`, `[Recovered]`, `[No Data]`... anywhere in a title. */
export function transitionOf(title: string): 'triggered' | 'warn' | 'recovered' | 'no_data' | 'unknown' {
  const t = title.toLowerCase();
  if (/\[(re-?)?triggered\]|\[alert\]|\btriggered\b/.test(t)) return 'triggered';
  if (/\[(re-?)?warn(ing)?\]/.test(t)) return 'warn';
  if (/\[recovered\]|\[ok\]|\[warn recovered\]|\brecovered\b/.test(t)) return 'recovered';
  if (/\[no data\]|\bno data\b/.test(t)) return 'no_data';
  return 'unknown';
}

export function priorityOf(text: string): 'P1' | 'P2' | 'P3' | 'P4' | 'P5' | undefined {
  const m = /\bP([1-5])\b/.exec(text);
  return m ? (`P${m[1]}` as 'P1') : undefined;
}

export function monitorIdOf(text: string): string | undefined {
  return /\/monitors\/(\d+)/.exec(text)?.[1] ?? /monitor[_ ]?id[=: #]+(\d+)/i.exec(text)?.[1];
}

/** Tags like `service:checkout` in free text (a footer "Tags: a:b, c:d" or inline). */
export function tagsIn(text: string): string[] {
  return [...new Set(text.match(/\b[a-z][\w.-]*:[\w./-]+/gi) ?? [])].filter(
    (t) => !/^(https?|mailto):/i.test(t) && !/^\d/.test(t.split(':')[1] ?? ''),
  );
}

/** Removes the transition and priority prefixes DataDog adds to titles. */
export function cleanTitle(title: string): string {
  return title.replace(/^(\s*\[[^\]]*\]\s*)+/, '').trim();
}
