import type { Alert } from '../alert';
import { type AlertClass, alertService, classifyAlert } from '../classify';

/**
 * What counts as "a similar alert" for priors: the same service and the same kind of problem.
 * `*|<class>` aggregates every service, used when a service has no history yet.
 */
export function learningScope(alert: Alert, service = alertService(alert)): string {
  return `${service ?? '*'}|${classifyAlert(alert)}`;
}

export function classWideScope(scope: string): string {
  return `*|${scope.split('|')[1] ?? 'other'}`;
}

/** "search latency" for people reading an explanation. */
export function describeScope(scope: string): string {
  const [service, cls] = scope.split('|') as [string, AlertClass];
  const what = cls.replace('_', ' ');
  return service === '*' ? `${what} alerts` : `${service} ${what} alerts`;
}
