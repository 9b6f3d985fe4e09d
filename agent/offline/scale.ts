import type { ServiceCatalog } from '../../tools/contract';
import { OFFLINE_DEFAULTS } from './defaults';
import type { EvidenceBundle, Signature } from './evidence';

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
