import { z } from 'zod';

/** Time inputs tools accept: ISO 8601 or relative to the investigation clock ("2h", "30m", "1d"). */
export const TimeInput = z
  .string()
  .refine(
    (s) => parseRelative(s) !== undefined || !Number.isNaN(Date.parse(s)),
    'expected an ISO time or a duration like 30m, 2h, 1d',
  )
  .describe('ISO 8601 time, or a duration before now such as "30m", "2h", "1d"');

function parseRelative(s: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*(s|m|h|d)$/.exec(s.trim());
  if (!m) return undefined;
  return Number(m[1]) * { s: 1e3, m: 6e4, h: 36e5, d: 864e5 }[m[2] as 's' | 'm' | 'h' | 'd'];
}

export function resolveTime(value: string | undefined, now: Date, fallbackMs: number): number {
  if (value === undefined) return fallbackMs;
  const rel = parseRelative(value);
  return rel !== undefined ? now.getTime() - rel : Date.parse(value);
}

/** A window [from, to] in epoch ms; defaults to `defaultSpanMs` before now. */
export function resolveWindow(
  input: { from?: string; to?: string },
  now: Date,
  defaultSpanMs: number,
): { from: number; to: number } {
  const to = resolveTime(input.to, now, now.getTime());
  const from = resolveTime(input.from, now, to - defaultSpanMs);
  return from <= to ? { from, to } : { from: to, to: from };
}

export function isoMinute(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}
