import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../sandbox/server';
import type { Tool } from '../../../tools/contract';
import type { HpasData } from '../../../tools/k8s/hpa';
import { contextFor } from '../helpers';
import { clusterSandbox, fixtureCluster } from './cluster';

describe('k8s.hpa with the real client against the sandbox', () => {
  let sandbox: Sandbox;
  let hpa: Tool;
  beforeAll(async () => {
    const c = await clusterSandbox();
    sandbox = c.sandbox;
    hpa = c.tool('k8s.hpa');
  });
  afterAll(() => sandbox.close());

  it("finds the autoscaler of the service's Deployment and says it is at its maximum and limited", async () => {
    const o = await hpa.run({ service: 'checkout' }, contextFor(sandbox));
    expect(o.ok).toBe(true);
    expect((o.data as HpasData).hpas).toEqual([
      {
        name: 'checkout',
        namespace: 'shop',
        target: 'Deployment/checkout',
        minReplicas: 3,
        maxReplicas: 10,
        currentReplicas: 10,
        desiredReplicas: 10,
        atMax: true,
        scalingLimited: true,
        limitReason: 'TooManyReplicas',
        lastScaleTime: '2026-03-12T13:56:30.000Z',
        metrics: [{ name: 'cpu', current: '165%' }],
      },
    ]);
    expect(o.summary).toMatch(/AT MAX \(ScalingLimited: TooManyReplicas\)/);
  });

  it('an autoscaler with room left is not at max; a service without one says so', async () => {
    const cluster = fixtureCluster();
    const h = cluster.horizontalpodautoscalers[0] as unknown as {
      spec: { maxReplicas: number };
      status: { conditions: unknown[] };
    };
    h.spec.maxReplicas = 20;
    h.status.conditions = [];
    const c = await clusterSandbox(cluster);
    try {
      const ctx = contextFor(c.sandbox);
      const roomy = (await c.tool('k8s.hpa').run({ service: 'checkout' }, ctx)).data as HpasData;
      expect(roomy.hpas[0]).toMatchObject({ atMax: false, scalingLimited: false, maxReplicas: 20 });
      const none = await c.tool('k8s.hpa').run({ service: 'ledger' }, ctx);
      expect(none.summary).toBe('No HorizontalPodAutoscaler for ledger in any namespace.');
    } finally {
      await c.sandbox.close();
    }
  });
});
