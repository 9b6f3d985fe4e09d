import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../sandbox/server';
import type { Tool } from '../../../tools/contract';
import { type RolloutsData, rolloutsOf, type WorkloadData } from '../../../tools/k8s/rollouts';
import { contextFor } from '../helpers';
import { clusterSandbox } from './cluster';

describe('k8s.rollouts with the real client against the sandbox', () => {
  let sandbox: Sandbox;
  let rollouts: Tool;
  beforeAll(async () => {
    const c = await clusterSandbox();
    sandbox = c.sandbox;
    rollouts = c.tool('k8s.rollouts');
  });
  afterAll(() => sandbox.close());

  it("a Deployment's ReplicaSet revisions: the image change at its time, change-cause and version", async () => {
    const o = await rollouts.run({ service: 'checkout' }, contextFor(sandbox));
    expect(o.ok).toBe(true);
    const data = o.data as RolloutsData;
    expect(data.workloads).toHaveLength(1);
    expect(data.workloads[0]).toMatchObject({
      kind: 'Deployment',
      name: 'checkout',
      currentRevision: 4,
      replicas: 3,
      readyReplicas: 1,
    });
    expect(data.workloads[0]!.revisions.map((r) => r.revision)).toEqual([4, 3]);
    expect(data.rollouts[0]).toEqual({
      workload: 'Deployment/checkout',
      kind: 'Deployment',
      namespace: 'shop',
      revision: 4,
      at: '2026-03-12T13:40:50.000Z',
      images: ['registry.acme.dev/shop/checkout:1.9.0'],
      previousImages: ['registry.acme.dev/shop/checkout:1.8.2'],
      changeCause: 'deploy checkout 1.9.0 (3f2a9c1)',
      version: '1.9.0',
      current: true,
    });
    expect(o.summary).toMatch(/checkout:1.8.2 → registry.acme.dev\/shop\/checkout:1.9.0/);
    // ReplicaSets are listed by the Deployment's own selector, in its namespace.
    expect(sandbox.requests.find((r) => r.path.endsWith('/replicasets'))).toMatchObject({
      path: '/apis/apps/v1/namespaces/shop/replicasets',
      query: { labelSelector: 'app.kubernetes.io/name=checkout' },
    });
  });

  it("a StatefulSet's ControllerRevisions: the image each revision's template ran", async () => {
    const data = (await rollouts.run({ service: 'ledger' }, contextFor(sandbox))).data as RolloutsData;
    expect(data.workloads[0]).toMatchObject({ kind: 'StatefulSet', name: 'ledger', currentRevision: 2 });
    expect(data.rollouts).toHaveLength(1);
    expect(data.rollouts[0]).toMatchObject({
      revision: 2,
      images: ['registry.acme.dev/shop/ledger:3.4.1'],
      previousImages: ['registry.acme.dev/shop/ledger:3.4.0'],
      changeCause: 'ledger 3.4.1',
      current: true,
    });
  });

  it('a revision that only scaled or relabelled (same images) is not a rollout', () => {
    const w: WorkloadData = {
      kind: 'Deployment',
      name: 'api',
      namespace: 'default',
      currentRevision: 2,
      revisions: [
        { revision: 2, name: 'api-b', images: ['api:1'] },
        { revision: 1, name: 'api-a', images: ['api:1'] },
      ],
    };
    expect(rolloutsOf(w)).toEqual([]);
  });
});
