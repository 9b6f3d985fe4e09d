import type { PastIncident } from '../../tools/rootly/index';
import { alertService } from '../classify';
import type { InvestigationResult } from '../result';
import { LEARNING_DEFAULTS } from './defaults';
import { matchCause } from './judge';

/** A resolved incident joined to the investigation of the same service and time. */
export type IncidentLink = {
  investigationId: string;
  incident: PastIncident & { resolvedAt: string };
  resolutionMs: number;
  /** 1-based rank of the suspect the incident's cause or mitigation names; null when it names none. */
  matchedRank: number | null;
  matchedRef: string | null;
};

function serviceOf(result: InvestigationResult): string | undefined {
  return alertService(result.alert) ?? result.summary.suspects[0]?.service;
}

/**
 * Pure: each resolved incident goes to the closest-in-time investigation of one of its services
 * (alert start within the link window of the incident start). Unresolved incidents wait.
 */
export function linkIncidents(
  incidents: readonly PastIncident[],
  investigations: readonly { id: string; result: InvestigationResult }[],
): IncidentLink[] {
  const out: IncidentLink[] = [];
  for (const incident of incidents) {
    const started = Date.parse(incident.startedAt);
    const resolved = incident.resolvedAt ? Date.parse(incident.resolvedAt) : Number.NaN;
    if (!Number.isFinite(started) || !Number.isFinite(resolved)) continue;
    const best = investigations
      .map((inv) => ({ inv, dt: Math.abs(Date.parse(inv.result.alert.startedAt) - started) }))
      .filter(({ inv, dt }) => {
        const service = serviceOf(inv.result);
        return (
          dt <= LEARNING_DEFAULTS.linkWindowMs && service !== undefined && incident.services.includes(service)
        );
      })
      .sort((a, b) => a.dt - b.dt)[0];
    if (!best) continue;
    const suspects = best.inv.result.summary.suspects;
    const rank = matchCause(`${incident.cause ?? ''}\n${incident.mitigation ?? ''}`, suspects);
    out.push({
      investigationId: best.inv.id,
      incident: { ...incident, resolvedAt: incident.resolvedAt! },
      resolutionMs: resolved - started,
      matchedRank: rank,
      matchedRef: rank === null ? null : suspects[rank - 1]!.ref,
    });
  }
  return out;
}
