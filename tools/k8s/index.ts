import type { Tool } from '../contract';
import { type K8sConfig, lazyApis } from './client';
import { eventsTool } from './events';
import { hpaTool } from './hpa';
import { nodesTool } from './nodes';
import { podsTool } from './pods';
import { rolloutsTool } from './rollouts';

/** The read-only Kubernetes tools; they share one client, built from the kubeconfig on first use. */
export function createK8sTools(cfg: K8sConfig): Tool[] {
  const apis = lazyApis(cfg);
  return [podsTool(apis), eventsTool(apis), rolloutsTool(apis), hpaTool(apis), nodesTool(apis)];
}
