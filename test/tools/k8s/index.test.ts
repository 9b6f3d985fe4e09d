import { describe, expect, it } from 'vitest';
import { sandboxDataSources } from '../../../sandbox/sources';
import { buildToolRegistry } from '../../../tools/registry';

describe('the Kubernetes tool family', () => {
  const K8S_TOOLS = ['k8s.pods', 'k8s.events', 'k8s.rollouts', 'k8s.hpa', 'k8s.nodes'];
  const k8sNames = (r: ReturnType<typeof buildToolRegistry>) =>
    r
      .list()
      .map((t) => t.name)
      .filter((n) => n.startsWith('k8s.'));

  it('is registered only when a cluster is configured (a world without k8s/ has none)', () => {
    expect(k8sNames(buildToolRegistry(sandboxDataSources('http://127.0.0.1:1')))).toEqual([]);
    expect(
      k8sNames(buildToolRegistry(sandboxDataSources('http://127.0.0.1:1', { kubernetes: true }))),
    ).toEqual(K8S_TOOLS);
    expect(k8sNames(buildToolRegistry({ kubernetes: { context: 'prod' } }))).toEqual(K8S_TOOLS);
  });

  it('every tool is a Kubernetes tool with an input schema the LLM can be given', () => {
    for (const t of buildToolRegistry({ kubernetes: {} }).list()) {
      expect(t.integration).toBe('kubernetes');
      expect(t.input.safeParse({ service: 'checkout' }).success).toBe(true);
    }
  });
});
