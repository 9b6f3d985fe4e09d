import type { K8sResource, K8sWorld } from '../../../sandbox/scenario';
import type { K8sObject } from '../../../sandbox/scenario-schema';
import type { Sandbox } from '../../../sandbox/server';
import type { Tool } from '../../../tools/contract';
import { createK8sTools } from '../../../tools/k8s/index';
import { vendorFixture } from '../../fixtures/real/wire-shape';
import { sandboxWith } from '../helpers';

/** The fixture file each resource's published example is in (test/fixtures/real/k8s/). */
export const FIXTURE_OF: Record<K8sResource, string> = {
  pods: 'pods-list',
  events: 'events-list',
  deployments: 'deployments-list',
  replicasets: 'replicasets-list',
  statefulsets: 'statefulsets-list',
  controllerrevisions: 'controllerrevisions-list',
  horizontalpodautoscalers: 'horizontalpodautoscalers-list',
  nodes: 'nodes-list',
};

/**
 * A cluster in the published examples' objects, written the way `kubectl get -o json` writes them
 * (each item with its kind and apiVersion, which the API server's lists leave out).
 */
export function fixtureCluster(): K8sWorld {
  const world = {} as K8sWorld;
  for (const [resource, name] of Object.entries(FIXTURE_OF) as [K8sResource, string][]) {
    const list = vendorFixture('k8s', name).response as {
      kind: string;
      apiVersion: string;
      items: K8sObject[];
    };
    world[resource] = list.items.map((o) => ({
      kind: list.kind.replace(/List$/, ''),
      apiVersion: list.apiVersion,
      ...o,
    }));
  }
  return world;
}

/** The demo world with the fixture cluster, and the Kubernetes tools pointed at it. */
export async function clusterSandbox(
  k8s: K8sWorld = fixtureCluster(),
): Promise<{ sandbox: Sandbox; tool: (name: string) => Tool }> {
  const sandbox = await sandboxWith({ k8s });
  const tools = createK8sTools({ server: sandbox.url, token: 'sandbox-token' });
  return { sandbox, tool: (name) => tools.find((t) => t.name === name)! };
}
