import { describe, expect, it } from 'vitest';
import { fromHpa, fromNodes, fromPods, fromRollouts } from '../../../agent/offline/cluster-evidence';
import { type EvidenceBundle, emptyBundle } from '../../../agent/offline/evidence';
import { buildChangeUnits } from '../../../agent/offline/rollouts';
import { rankSuspects } from '../../../agent/offline/score';

const at = (m: number) => new Date(Date.parse('2026-05-01T12:00:00Z') + m * 60_000).toISOString();
const onset = Date.parse(at(0));
const catalog = { services: { api: { repos: ['o/api'] } } };

const pods = {
  service: 'api',
  selector: 'app.kubernetes.io/name=api',
  totals: { pods: 2, ready: 1, restarts: 4, oomKilled: 1, crashLooping: 0 },
  pods: [
    {
      name: 'api-7d9-1',
      namespace: 'prod',
      node: 'node-a',
      phase: 'Running',
      ready: false,
      restarts: 4,
      version: '2.4.1',
      oomKilled: true,
      crashLooping: false,
      containers: [
        {
          name: 'api',
          image: 'registry/api:2.4.1',
          ready: false,
          restarts: 4,
          state: 'running' as const,
          lastTermination: { reason: 'OOMKilled', exitCode: 137, finishedAt: at(2) },
        },
      ],
    },
  ],
};
const rollouts = {
  service: 'api',
  selector: 'app.kubernetes.io/name=api',
  workloads: [],
  rollouts: [
    {
      workload: 'Deployment/api',
      kind: 'Deployment' as const,
      namespace: 'prod',
      revision: 12,
      at: at(-75),
      images: ['registry/api:2.4.1'],
      previousImages: ['registry/api:2.4.0'],
      current: true,
    },
  ],
};

describe('the cluster as evidence', () => {
  it('reads OOM kills as observations of the service, on their node, at their time', () => {
    const { observations } = fromPods(pods, 'ev_1', onset);
    expect(observations).toHaveLength(1);
    expect(observations[0]).toMatchObject({
      kind: 'oom',
      service: 'api',
      host: 'node-a',
      time: Date.parse(at(2)),
    });
  });

  it('reads an image change as a rollout, joined with its GitHub deployment by the image tag', () => {
    const { changes } = fromRollouts(rollouts, 'ev_2');
    expect(changes[0]).toMatchObject({
      kind: 'deployment',
      ref: 'prod/Deployment/api@12',
      deployment: { version: '2.4.1' },
    });
    const units = buildChangeUnits(
      [
        ...changes,
        {
          kind: 'deployment',
          ref: '901',
          title: 'Deploy 2.4.1',
          service: 'api',
          time: Date.parse(at(-76)),
          text: '',
          files: [],
          origin: 'github',
          environment: 'prod',
          sha: 'a'.repeat(40),
          deployment: { version: '2.4.1', phase: 'start' },
          evidence: [],
        },
      ],
      'prod',
    );
    const rolloutUnits = units.filter((u) => u.kind === 'rollout');
    expect(rolloutUnits).toHaveLength(1);
    expect(rolloutUnits[0]!.members.map((m) => m.ref).sort()).toEqual(['901', 'prod/Deployment/api@12']);
  });

  it('a release followed by OOM kills outranks an unrelated later change', () => {
    const bundle: EvidenceBundle = {
      ...emptyBundle(),
      changes: [
        ...fromRollouts(rollouts, 'ev_2').changes,
        {
          kind: 'feature_flag',
          ref: 'banner',
          title: 'Flag banner changed',
          service: 'api',
          time: Date.parse(at(-4)),
          text: 'banner',
          files: [],
          origin: 'flags',
          evidence: [],
        },
      ],
      observations: fromPods(pods, 'ev_1', onset).observations,
    };
    const ranked = rankSuspects(bundle, { onset, service: 'api', env: 'prod', catalog });
    expect(ranked[0]!.ref).toBe('prod/Deployment/api@12');
    expect(ranked[0]!.reasons.join(' ')).toMatch(/OOM kill/);
  });

  it('an autoscaler at its maximum and a NotReady node that hosts the service are observations', () => {
    const hpa = fromHpa(
      {
        service: 'api',
        hpas: [
          {
            name: 'api',
            namespace: 'prod',
            target: 'Deployment/api',
            maxReplicas: 10,
            currentReplicas: 10,
            desiredReplicas: 14,
            atMax: true,
            scalingLimited: true,
            metrics: [{ name: 'cpu', current: '96%' }],
          },
        ],
      },
      'ev_3',
      onset,
    );
    expect(hpa.observations[0]).toMatchObject({ kind: 'autoscaler', service: 'api' });
    const nodes = fromNodes(
      {
        notReady: ['node-a'],
        nodes: [
          {
            name: 'node-a',
            ready: 'Unknown',
            problems: [{ type: 'Ready', status: 'Unknown', since: at(-1) }],
            unschedulable: false,
            hostsService: true,
          },
          { name: 'node-b', ready: 'True', problems: [], unschedulable: false, hostsService: true },
        ],
      },
      'ev_4',
      onset,
    );
    expect(nodes.observations).toHaveLength(1);
    expect(nodes.observations[0]).toMatchObject({ kind: 'node', host: 'node-a', time: Date.parse(at(-1)) });
  });
});
