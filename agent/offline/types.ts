import type { ServiceCatalog } from '../../tools/contract';
import type { Count } from '../../tools/datadog/attributes';
import type { Suspect } from '../result';
import type { DeploymentEventInfo, ObservationKind } from './event-kinds';

/**
 * The offline investigator's shared shapes: what the evidence model finds (changes,
 * observations, error signatures) and what the scorer ranks. Kept apart from the modules that
 * build and score them so those can import each other's values without an import cycle.
 */

/** Everything the tools found, normalized for scoring. Built from observations' structured data. */
export type ChangeCandidate = {
  kind:
    | 'commit'
    | 'pull_request'
    | 'deployment'
    | 'config_change'
    | 'feature_flag'
    | 'infrastructure'
    | 'unknown';
  ref: string;
  title: string;
  service?: string;
  repo?: string;
  time: number;
  text: string;
  files: string[];
  /** The changed files with their bounded patches (commits). */
  patches?: { filename: string; patch?: string }[];
  status?: string;
  sha?: string;
  environment?: string;
  url?: string;
  /** Where the change came from: GitHub, a DataDog event, the flag system, the Kubernetes cluster. */
  origin: 'github' | 'event' | 'flags' | 'cluster';
  /** A DataDog event's tags (its component, key or change id name the ref). */
  tags?: string[];
  /** A DataDog deployment event's ids and phase (joined to its GitHub deployment). */
  deployment?: DeploymentEventInfo;
  evidence: string[];
};

/** A DataDog event that reports what happened (never a suspect): it dates and corroborates. */
export type Observation = {
  kind: ObservationKind;
  title: string;
  text: string;
  time: number;
  service?: string;
  host?: string;
  tags: string[];
  evidence: string;
};

export type Signature = {
  text: string;
  count: number;
  baseline: number;
  services: string[];
  hosts: string[];
  firstSeen: number;
  /** When the last line of it was seen (a failure that stopped has a lastSeen well before now). */
  lastSeen?: number;
  evidence: string;
  /** Where the lines came from (a log pattern or a span error group). */
  origin: 'log' | 'span';
  stack?: string;
  attributes?: Record<string, unknown>;
  versions?: Count[];
  hostCounts?: Count[];
  peers?: Count[];
};

export type FailureMode = 'memory' | 'pool' | 'timeout' | 'rate_limit' | 'retry' | 'schema';

/** Feature weights for change suspects; the learning issue calibrates them from confirmed causes. */
export type Weights = { time: number; service: number; overlap: number };

/** A ranked suspect with the reasons that put it there (shown to people, and kept for learning). */
export type ScoredSuspect = Suspect & {
  reasons: string[];
  /** 0..1: how strongly hard evidence links it to the failure (not timing). */
  overlap: number;
  time?: number;
  /** A hard link (mechanism) and timing both hold: what a high confidence needs. */
  decisive?: boolean;
  /**
   * A dependency is corroborated when it shows failure of its own (errors, a metric shift, a status
   * page), not only through the caller's errors: a blip of calls that recovered is not a finding.
   */
  corroborated?: boolean;
  /** Failure modes the change touches (retries, pools…): a latent amplifier when they match. */
  modes?: FailureMode[];
  /** What a change event says of itself (its text and tags): where it names what it changed. */
  says?: string;
};

/** What the scorer knows about the failure. */
export type ScoringContext = {
  onset: number;
  service?: string;
  env?: string;
  catalog: ServiceCatalog;
  weights?: Weights;
};
