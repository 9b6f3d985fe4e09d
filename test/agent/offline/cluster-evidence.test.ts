import { describe, expect, it } from 'vitest';
import {
  fromHpa,
  fromNodes,
  fromPods,
  fromRollouts,
  shaNamed,
} from '../../../agent/offline/cluster-evidence';
import { type EvidenceBundle, emptyBundle } from '../../../agent/offline/evidence';
import { buildChangeUnits } from '../../../agent/offline/rollouts';
import { rankSuspects } from '../../../agent/offline/score';
import type { ChangeCandidate } from '../../../agent/offline/types';

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

const SHA = '3f2a9c1d0e4b5a69788796a5b4c3d2e1f0a9b8c7';
const revision = (
  over: Partial<(typeof rollouts.rollouts)[number]> & {
    env?: string;
    changeCause?: string;
    version?: string;
  },
) => ({
  ...rollouts,
  rollouts: [{ ...rollouts.rollouts[0]!, ...over }],
});
const commit = (sha: string, minute: number, title: string): ChangeCandidate => ({
  kind: 'commit',
  ref: sha,
  title,
  service: 'api',
  repo: 'o/api',
  time: Date.parse(at(minute)),
  text: title,
  files: [],
  sha,
  origin: 'github',
  evidence: [],
});
const githubDeployment = (id: string, env: string, minute: number): ChangeCandidate => ({
  kind: 'deployment',
  ref: id,
  title: `Deploy to ${env}`,
  service: 'api',
  time: Date.parse(at(minute)),
  text: '',
  files: [],
  origin: 'github',
  environment: env,
  sha: SHA,
  evidence: [],
});

describe('which commit a cluster revision shipped', () => {
  it('reads the sha an image tag or change-cause names, in the forms deploy tools write', () => {
    expect(shaNamed(['1.4.2-3f2a9c1'])).toBe('3f2a9c1');
    expect(shaNamed(['sha-3f2a9c1d0e4b'])).toBe('3f2a9c1d0e4b');
    expect(shaNamed([SHA])).toBe(SHA);
    expect(shaNamed(['v1.4.2-12-g3f2a9c1'])).toBe('3f2a9c1');
    expect(shaNamed(['1.4.2', 'deploy api 1.4.2 (3F2A9C1)'])).toBe('3f2a9c1');
  });

  it('never takes a version, a build number or a registry account for a sha', () => {
    expect(shaNamed(['1.4.2', undefined, '2.13.10'])).toBeUndefined();
    expect(shaNamed(['build-1234567'])).toBeUndefined();
    expect(
      shaNamed([
        'kubectl set image deployment/api api=123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1.4.2',
      ]),
    ).toBeUndefined();
  });

  it('a revision naming a sha joins the production deployment of it, not the staging one', () => {
    const { changes } = fromRollouts(
      revision({ images: ['registry/api:1.4.2-3f2a9c1'], env: 'prod' }),
      'ev_2',
    );
    const units = buildChangeUnits(
      [
        ...changes,
        githubDeployment('801', 'staging', -90),
        githubDeployment('802', 'prod', -76),
        commit(SHA, -100, 'Fix totals'),
      ],
      'prod',
    );
    const live = units.filter((u) => u.kind === 'rollout');
    expect(live.map((u) => [u.ref, u.members.map((m) => m.ref).sort()])).toEqual([
      ['802', ['802', 'prod/Deployment/api@12']],
    ]);
  });

  it('seen only in the cluster, a revision is a rollout of the commits up to the one it names, named by its workload revision', () => {
    const { changes } = fromRollouts(
      revision({ images: ['registry/api:1.4.2'], changeCause: 'deploy api 1.4.2 (3f2a9c1)', env: 'prod' }),
      'ev_2',
    );
    const units = buildChangeUnits(
      [
        ...changes,
        commit('b'.repeat(40), -120, 'Earlier change'),
        commit(SHA, -100, 'Fix totals'),
        commit('c'.repeat(40), -30, 'After the rollout'),
      ],
      'prod',
    );
    const rollout = units.find((u) => u.kind === 'rollout')!;
    expect(rollout).toMatchObject({ ref: 'prod/Deployment/api@12', sha: SHA });
    expect(rollout.commits.map((c) => c.title)).toEqual(['Fix totals', 'Earlier change']);
    expect(units.find((u) => u.ref === 'c'.repeat(40))).toMatchObject({ kind: 'commit', undeployed: true });
  });

  it('a revision that names no commit ships the commits of its service merged before it', () => {
    const { changes } = fromRollouts(revision({ images: ['registry/api:1.4.2'], version: '1.4.2' }), 'ev_2');
    const units = buildChangeUnits(
      [...changes, commit(SHA, -100, 'Fix totals'), commit('c'.repeat(40), -30, 'Later')],
      'prod',
    );
    expect(units.find((u) => u.kind === 'rollout')!.commits.map((c) => c.title)).toEqual(['Fix totals']);
  });
});

describe('restarted containers', () => {
  const exited = (finishedAt: string, exitCode: number) => ({
    ...pods,
    pods: [
      {
        ...pods.pods[0]!,
        oomKilled: false,
        containers: [
          { ...pods.pods[0]!.containers[0]!, lastTermination: { reason: 'Error', exitCode, finishedAt } },
        ],
      },
    ],
  });

  it('a container that exited with an error in the hours before now is a restart (a JVM aborting at its heap limit)', () => {
    const { observations } = fromPods(exited(at(-20), 3), 'ev_1', onset);
    expect(observations).toMatchObject([{ kind: 'restart', service: 'api', time: Date.parse(at(-20)) }]);
    expect(observations[0]!.title).toContain('exited Error (exit code 3)');
  });

  it('an error exit from days ago, or a clean exit, is not this incident', () => {
    expect(fromPods(exited(at(-3 * 24 * 60), 3), 'ev_1', onset).observations).toEqual([]);
    expect(fromPods(exited(at(-20), 0), 'ev_1', onset).observations).toEqual([]);
  });
});
