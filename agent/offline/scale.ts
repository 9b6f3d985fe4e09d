import type { ServiceCatalog } from '../../tools/contract';
import { OFFLINE_DEFAULTS } from './defaults';
import type { EvidenceBundle, Split } from './evidence';
import type { Signature } from './types';

/** Scores and features are shown to three decimals. */
export const round3 = (n: number) => Math.round(n * 1000) / 1000;

/** A name (a service, a host) matched literally inside a regular expression. */
export const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');

/** The shared scale every suspect is scored on: where it sits relative to the service, and when. */

export function dependenciesOf(catalog: ServiceCatalog, service: string | undefined): string[] {
  if (!service) return [];
  return catalog.services[service]?.dependsOn ?? [];
}

export function serviceMatch(
  catalog: ServiceCatalog,
  service: string | undefined,
  candidate: string | undefined,
): number {
  const match = OFFLINE_DEFAULTS.serviceMatch;
  if (!service || candidate === undefined) return match.unknown;
  if (candidate === service) return match.same;
  if (dependenciesOf(catalog, service).includes(candidate)) return match.dependency;
  if (dependenciesOf(catalog, candidate).includes(service)) return match.dependent;
  return match.unrelated;
}

/**
 * Time is asymmetric (issue 13.3): before the onset credit halves every `proximityHalfLifeMs`;
 * after it, beyond a small clock skew, credit halves every `afterOnsetHalfLifeMs` (steeply).
 */
export function proximity(onset: number, time: number): number {
  const d = OFFLINE_DEFAULTS;
  const dt = onset - time;
  if (dt >= 0) return 0.5 ** (dt / d.proximityHalfLifeMs);
  const late = -dt - d.skewToleranceMs;
  if (late <= 0) return 1;
  return 0.5 ** (late / d.afterOnsetHalfLifeMs);
}

/**
 * For a cause that is not a change (a failing dependency, a host), its symptoms start with the
 * failure: full credit within `nearOnsetMs` of the onset either way, halving every
 * `proximityHalfLifeMs` beyond.
 */
export function coincidence(onset: number, time: number): number {
  const d = OFFLINE_DEFAULTS;
  const off = Math.abs(onset - time) - d.nearOnsetMs;
  return off <= 0 ? 1 : 0.5 ** (off / d.proximityHalfLifeMs);
}

/** The signatures that matter for the alerting service: its own and its dependencies'. */
export function relevantSignatures(
  bundle: EvidenceBundle,
  service: string | undefined,
  catalog: ServiceCatalog,
): Signature[] {
  const deps = dependenciesOf(catalog, service);
  return bundle.signatures.filter(
    (s) =>
      !service ||
      s.services.length === 0 ||
      s.services.includes(service) ||
      s.services.some((x) => deps.includes(x)),
  );
}

/** Hosting providers' domains: the component is the first label, not the provider. */
const PROVIDER_DOMAINS =
  /\.(?:amazonaws\.com|azure\.com|googleapis\.com|cloud\.google\.com|internal|local|svc|cluster\.local)$/i;

/** `api.x.com`, `checkout-live.x.com` and `x` are one component: the registrable label. */
export function componentKey(name: string): string {
  const n = name.toLowerCase().replace(/:\d+$/, '');
  if (!n.includes('.')) return n;
  if (PROVIDER_DOMAINS.test(n)) return n.split('.')[0]!;
  const labels = n.split('.');
  return labels.length >= 2 ? labels[labels.length - 2]! : n;
}

/**
 * Dependencies the evidence shows even when the catalog does not list them: catalog services
 * the alerting service's new errors call (a peer in their split) or name (`quotes-api.internal`).
 * Returns the catalog with them added to the service's `dependsOn`.
 */
export function withDiscoveredDependencies(
  catalog: ServiceCatalog,
  service: string | undefined,
  signatures: readonly Signature[],
): ServiceCatalog {
  const own = service ? catalog.services[service] : undefined;
  if (!service || !own) return catalog;
  const known = new Map(
    Object.keys(catalog.services)
      .filter((s) => s !== service)
      .map((s) => [componentKey(s), s]),
  );
  const found = new Set(own.dependsOn ?? []);
  // A caller in front of the service (a gateway, a BFF, an edge proxy) whose new errors are about
  // the service's own routes is on the failing path too: a change there can be the cause.
  const routes = new RegExp(
    `/${escapeRegExp(service.split(/[-_]/)[0]!)}(?:[-_/?\\s]|$)|\\b${escapeRegExp(service)}\\b`,
    'i',
  );
  for (const s of signatures) {
    const caller = s.services.find((x) => x !== service && catalog.services[x]);
    if (caller && s.count >= OFFLINE_DEFAULTS.dependency.minLines && routes.test(s.text)) found.add(caller);
  }
  for (const s of signatures) {
    if (s.services.length > 0 && !s.services.includes(service)) continue;
    for (const p of s.peers ?? []) {
      const k = known.get(componentKey(p.value));
      if (k) found.add(k);
    }
    for (const [key, name] of known)
      if (new RegExp(`\\b${escapeRegExp(name)}(?:\\.|\\b)`, 'i').test(s.text) && key) found.add(name);
  }
  if (found.size === (own.dependsOn ?? []).length) return catalog;
  return { ...catalog, services: { ...catalog.services, [service]: { ...own, dependsOn: [...found] } } };
}

/**
 * Where a split's rise sits: the value carrying at least `share` of it, when at least one other
 * value still reports at the end (so the rest of the fleet kept serving without it).
 */
export function concentration(
  split: Split,
  share: number,
): { value: string; share: number; others: number } | undefined {
  const total = split.groups.reduce((a, g) => a + g.rise, 0);
  if (total <= 0 || split.groups.length < 2) return undefined;
  const top = [...split.groups].sort((a, b) => b.rise - a.rise)[0]!;
  const end = Math.max(...split.groups.map((g) => g.lastAt));
  const others = split.groups.filter(
    (g) => g !== top && g.lastAt >= end - OFFLINE_DEFAULTS.stillReportingMs,
  ).length;
  if (top.rise / total < share || others === 0) return undefined;
  return { value: top.value, share: top.rise / total, others };
}
