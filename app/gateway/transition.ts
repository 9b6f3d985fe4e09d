import type { AlertPriority, AlertStatus } from '../../agent/alert';

/**
 * DataDog's names for a monitor's state changes: the values of `$ALERT_TRANSITION` and the
 * prefixes of its notification titles (`Triggered: …`, `[Re-Triggered] …`). The alert-cycle
 * rules need the name, not only the status: a Re-Triggered joins a cycle a Triggered opens.
 */
export type Transition =
  | 'Triggered'
  | 'Re-Triggered'
  | 'Renotify'
  | 'Warn'
  | 'Re-Warn'
  | 'Recovered'
  | 'No Data'
  | 'Re-No Data';

/** Keys are names with case, spaces, hyphens and underscores removed (`Re-No Data` -> `renodata`). */
const NAMED: Record<string, Transition> = {
  triggered: 'Triggered',
  retriggered: 'Re-Triggered',
  renotify: 'Renotify',
  warn: 'Warn',
  warning: 'Warn',
  rewarn: 'Re-Warn',
  rewarning: 'Re-Warn',
  recovered: 'Recovered',
  warnrecovered: 'Recovered',
  nodatarecovered: 'Recovered',
  nodata: 'No Data',
  renodata: 'Re-No Data',
};

/** Older integrations also wrote `[Alert]` and `[OK]`; only the bracketed form is that loose. */
const BRACKET_ONLY: Record<string, Transition> = { alert: 'Triggered', ok: 'Recovered' };

const STATUS: Record<Transition, AlertStatus> = {
  Triggered: 'triggered',
  'Re-Triggered': 'triggered',
  Renotify: 'triggered',
  Warn: 'warn',
  'Re-Warn': 'warn',
  Recovered: 'recovered',
  'No Data': 'no_data',
  'Re-No Data': 'no_data',
};

const key = (s: string) => s.toLowerCase().replace(/[^a-z]/g, '');

/** A `$ALERT_TRANSITION` value (any case or separator) as DataDog names it, or undefined. */
export function transitionNamed(value: string | undefined): Transition | undefined {
  return value === undefined ? undefined : NAMED[key(value)];
}

export function statusOf(t: Transition | undefined): AlertStatus {
  return t ? STATUS[t] : 'unknown';
}

export type TitleHead = {
  transition: Transition;
  /** The group the notification is about: `[Triggered on {service:a,env:b}]` -> `service:a,env:b`. */
  scope?: string;
  priority?: AlertPriority;
  /** `[Triggered]` form (distinctive on its own) rather than `Triggered:` (needs other evidence). */
  bracketed: boolean;
  /** The monitor's name: the title without its transition and priority prefixes. */
  name: string;
};

const COLON =
  /^(re-?triggered|triggered|renotify|re-?warn|warn|recovered|re-?no data|no data)(?: on \{([^}]*)\})?:\s*/i;
const IN_BRACKET = /^([a-z][a-z -]*?)(?: on \{(.*)\})?$/i;

/**
 * Reads the head of a DataDog notification title: leading `[P2]` and `[Triggered on {…}]`
 * brackets in either order, or a `Triggered: ` prefix (optionally followed by `[P1]`).
 * Only the head counts: a word like "recovered" later in a monitor's name is not a transition.
 */
export function titleHead(title: string): TitleHead | undefined {
  let rest = title.trim();
  let priority: AlertPriority | undefined;
  let found: Omit<TitleHead, 'priority' | 'name'> | undefined;
  // A head has a priority and a transition bracket at most; four is room for odd spacing, and a
  // bound keeps a hostile title of a million `[P1]`s from costing a million string copies.
  for (let i = 0, m = /^\[([^\]]*)\]\s*/.exec(rest); m && i < 4; i++, m = /^\[([^\]]*)\]\s*/.exec(rest)) {
    const inner = m[1]!.trim();
    const p = /^P([1-5])$/i.exec(inner);
    const b = found || p ? undefined : IN_BRACKET.exec(inner);
    const t = b ? (NAMED[key(b[1]!)] ?? BRACKET_ONLY[key(b[1]!)]) : undefined;
    if (p) priority ??= `P${p[1]}` as AlertPriority;
    else if (t) found = { transition: t, scope: b?.[2]?.trim() || undefined, bracketed: true };
    else break;
    rest = rest.slice(m[0].length);
  }
  if (!found) {
    const c = COLON.exec(rest);
    if (!c) return undefined;
    found = { transition: NAMED[key(c[1]!)]!, scope: c[2]?.trim() || undefined, bracketed: false };
    rest = rest.slice(c[0].length);
    const p = /^\[P([1-5])\]\s*/i.exec(rest);
    if (p) {
      priority ??= `P${p[1]}` as AlertPriority;
      rest = rest.slice(p[0].length);
    }
  }
  return { ...found, priority, name: rest.trim() };
}
