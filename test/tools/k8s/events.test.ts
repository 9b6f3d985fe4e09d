import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../sandbox/server';
import type { Tool } from '../../../tools/contract';
import type { K8sEventsData } from '../../../tools/k8s/events';
import { contextFor } from '../helpers';
import { clusterSandbox } from './cluster';

describe('k8s.events with the real client against the sandbox', () => {
  let sandbox: Sandbox;
  let events: Tool;
  beforeAll(async () => {
    const c = await clusterSandbox();
    sandbox = c.sandbox;
    events = c.tool('k8s.events');
  });
  afterAll(() => sandbox.close());
  const window = { from: '2026-03-12T12:00:00Z', to: '2026-03-12T14:30:00Z' };

  it("reads the service's namespace from its pods and lists its events newest first, counted", async () => {
    const o = await events.run({ service: 'checkout', ...window }, contextFor(sandbox));
    expect(o.ok).toBe(true);
    const data = o.data as K8sEventsData;
    expect(data.namespace).toBe('shop');
    expect(data.events.map((e) => `${e.type} ${e.reason} ${e.object}`)).toEqual([
      'Warning BackOff Pod/checkout-7d9f8c6b5d-9kq4w',
      'Normal SuccessfulRescale HorizontalPodAutoscaler/checkout',
      'Normal ScalingReplicaSet Deployment/checkout',
    ]);
    expect(data.events[0]).toMatchObject({
      time: '2026-03-12T13:58:41.000Z',
      count: 12,
      source: 'kubelet',
      aboutService: true,
    });
    expect(data.warnings).toBe(1);
    expect(sandbox.requests.at(-1)?.path).toBe('/api/v1/namespaces/shop/events');
  });

  it('keeps only the window asked for, and only warnings when asked', async () => {
    const late = await events.run(
      { namespace: 'shop', from: '2026-03-12T13:50:00Z', to: '2026-03-12T14:30:00Z' },
      contextFor(sandbox),
    );
    expect((late.data as K8sEventsData).events.map((e) => e.reason)).toEqual([
      'BackOff',
      'SuccessfulRescale',
    ]);
    const warnings = await events.run(
      { namespace: 'shop', ...window, warningsOnly: true },
      contextFor(sandbox),
    );
    expect((warnings.data as K8sEventsData).events.map((e) => e.reason)).toEqual(['BackOff']);
  });

  it('a service with no pods anywhere: a failure saying to pass the namespace', async () => {
    const o = await events.run({ service: 'search' }, contextFor(sandbox));
    expect(o.ok).toBe(false);
    expect(o.error).toMatch(/no pods of search found .* pass namespace/);
  });
});
