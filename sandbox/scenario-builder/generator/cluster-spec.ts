import type { Rng } from '../lib';

/** The shapes of a generated world's Kubernetes cluster (cluster.ts draws them, cluster-render.ts writes them); apart so draft.ts can name them without a cycle. */
/** How a team tags its images: what names the commit a revision ships, if anything does. */
export type ImageForm =
  /** `:1.4.3` and nothing else: only the time and version tie the revision to its commits. */
  | 'version'
  /** `:1.4.3`, the change-cause naming the short sha (`deploy checkout 1.4.3 (3f2a9c1)`). */
  | 'version-with-cause'
  /** `:1.4.3-3f2a9c1`. */
  | 'version-sha'
  /** `:sha-3f2a9c1d0e4b`. */
  | 'sha-prefix'
  /** `:<full sha>`, `kubectl set image` as the change-cause. */
  | 'full-sha';

/**
 * Which labels the workloads carry: Kubernetes' recommended `app.kubernetes.io/name` plus
 * DataDog's unified service tags, the unified service tags alone, or a plain `app` label that
 * only the catalog's `kubernetes.labelSelector` maps to the service.
 */
export type LabelForm = 'recommended' | 'datadog' | 'app';

/** A container's end as the kubelet records it. */
export type Termination = { reason: 'OOMKilled' | 'Error'; exitCode: number };

/** A pod a class names (the memory leak's), with the minutes its container was killed. */
export type ClusterPod = {
  name: string;
  /** The DataDog host its telemetry carries. */
  host: string;
  kills: number[];
  /** Minutes before each kill that the pod thrashed (its readiness probe failing). */
  thrash: number;
};

export type ClusterSpec = {
  /** The cluster's own stream: every draw the rendering makes. */
  r: Rng;
  namespace: string;
  labels: LabelForm;
  image: ImageForm;
  registry: string;
  /** Services whose rollouts only the cluster reports: no GitHub deployment, no DataDog event. */
  clusterOnly: string[];
  /** The class's pods of a service, and how their containers end when killed. */
  pods: Map<string, { pods: ClusterPod[]; termination: Termination; memoryLimitMi?: number }>;
};
