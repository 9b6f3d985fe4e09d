import { z } from 'zod';
import type { ServiceCatalog } from '../contract';
import { K8S_DEFAULTS } from '../defaults';

/** A service name as a label value can hold it, so every selector built from it is valid. */
export const ServiceInput = z
  .string()
  .regex(
    /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/,
    'expected a service name usable as a Kubernetes label value (letters, digits, -, _, ., at most 63)',
  )
  .describe('The service, as DataDog names it (service:<name>)');

export const NamespaceInput = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'expected a Kubernetes namespace name')
  .describe('Namespace to look in; default: every namespace (or the one the catalog names)');

/** Where to look for a service: the label selectors to try in order, and the namespace if known. */
export type ServiceScope = { service: string; selectors: string[]; namespace?: string };

/**
 * Pure: the catalog's own selector and namespace for the service when it has them; otherwise the
 * service labels (K8S_DEFAULTS.serviceLabels), each a selector of its own, since a selector cannot
 * say "this label or that one".
 */
export function serviceScope(service: string, catalog: ServiceCatalog, namespace?: string): ServiceScope {
  const mapped = catalog.services[service]?.kubernetes;
  return {
    service,
    selectors: mapped?.labelSelector
      ? [mapped.labelSelector]
      : K8S_DEFAULTS.serviceLabels.map((label) => `${label}=${service}`),
    namespace: namespace ?? mapped?.namespace,
  };
}

/** A list call's answer: the items, and whether the server had more than one page of them. */
export type Listed<T> = { items: T[]; more: boolean };

type ListFn<T> = (selector: string, namespace: string | undefined) => Promise<Listed<T>>;

/** The first selector that finds anything (and the items it found); none found: the last tried, empty. */
export async function listForService<T>(
  scope: ServiceScope,
  list: ListFn<T>,
): Promise<Listed<T> & { selector: string }> {
  let last: Listed<T> & { selector: string } = { items: [], more: false, selector: scope.selectors[0]! };
  for (const selector of scope.selectors) {
    last = { ...(await list(selector, scope.namespace)), selector };
    if (last.items.length > 0) return last;
  }
  return last;
}

/** Pure: the where-clause of a summary line ("in prod" or "in any namespace"). */
export function whereOf(scope: ServiceScope): string {
  return scope.namespace ? `in namespace ${scope.namespace}` : 'in any namespace';
}
