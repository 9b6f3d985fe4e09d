import type { FailureMode, Weights } from './types';

/** The offline investigator's thresholds and weights, named and in one place (calibration may override weights). */
export const OFFLINE_DEFAULTS = {
  /**
   * A metric shift more than this long before both the alert and the first new error belongs to
   * another episode (a deploy blip an hour earlier): the onset is not moved back to it.
   */
  onsetBeforeAlertMaxMs: 45 * 60_000,
  /** Changes are gathered from this long before the onset... */
  lookbackMs: 2 * 3_600_000,
  /**
   * When the new errors show a failure mode a setting shapes (retries), the alerting service's
   * changes are also read this far back: a latent cause bites only when something else blips.
   */
  latentLookbackMs: 14 * 24 * 3_600_000,
  latentModes: ['retry'] as readonly FailureMode[],
  /** ...to this long after it (deploys finishing, clock skew). */
  lookaheadMs: 15 * 60_000,
  /** A change this far after the onset still scores as simultaneous (clock skew between sources). */
  skewToleranceMs: 2 * 60_000,
  /** Beyond the skew, a change after the onset loses half its time credit every this long (13.3). */
  afterOnsetHalfLifeMs: 90_000,
  /** Time proximity decays with this half-life before the onset. */
  proximityHalfLifeMs: 30 * 60_000,
  /** Confidence thresholds on the top suspect's score and its margin over the next. */
  high: { score: 0.7, margin: 0.15 },
  medium: { score: 0.5, margin: 0.08 },
  low: { score: 0.33 },
  /** Request rate must rise this many times at the onset to call it a capacity problem. */
  capacityRatio: 1.8,
  /** What a change linked by timing alone keeps of its score when another suspect is decisive (timing never outranks a mechanism). */
  timingOnlyFactor: 0.8,
  /** A spike has recovered when the alert metric's latest value is back within this share of its rise. */
  recoveredShare: 0.2,
  /** Share of new error lines from one host that makes it an infrastructure suspect. */
  hostShare: 0.8,
  /** Suspects kept in the summary, best first. */
  maxSuspects: 5,

  // What the planner reads.
  /**
   * Logs and traces are read from the alert start minus `marginMs` (the baseline that tells new
   * errors from old ones), never less than `minMs` back and never more than `maxMs` (cost).
   */
  logWindow: { minMs: 60 * 60_000, marginMs: 30 * 60_000, maxMs: 6 * 3_600_000 },
  /** Services outside the scope whose changes are read when a shared resource is contended (a migration elsewhere). */
  maxSharedResourceServices: 3,
  /** Other monitors of the service whose metrics are read for the blast radius. */
  maxCompanionQueries: 3,
  /** Companion metrics from the service's metric listing (ratio halves, APM traffic/errors/latency, used/limit pairs). */
  maxListedCompanions: 6,
  /** Dependencies (catalog order) whose error rate and error logs are read. */
  maxDependencies: 4,
  /** Past incidents and knowledge pages asked for: enough for the best three to be shown. */
  pastIncidentLimit: 5,
  knowledgeLimit: 5,
  /** The retrieval query: at most this much of the error signature, and this long in all. */
  retrievalQuery: { signatureChars: 160, maxChars: 300 },
  /** A span error group counts as new when it exceeds `baselineRatio` x its baseline and `minCount`. */
  spanErrors: { baselineRatio: 2, minCount: 3 },

  // How a change scores (score.ts): weights x (time, service, overlap) features, then penalties.
  /**
   * The service feature: the alerting service itself, one it depends on, one that depends on it,
   * any other; `unknown` when the alert or the change names no service (neither for nor against).
   */
  serviceMatch: { same: 1, dependency: 0.7, dependent: 0.2, unrelated: 0.1, unknown: 0.5 },
  /**
   * The overlap feature: a file named in the new errors is decisive (1) unless its base name is
   * shorter than `fileNameMinChars` ("db", "api" name nothing); shared words count up to
   * `textCap` once `fullTextTokens` distinctive words are shared.
   */
  overlap: { fileNameMinChars: 4, fullTextTokens: 3, textCap: 0.7 },
  /** Deploy events name a commit by its short sha (git's default length); such an event joins that change. */
  shortShaChars: 7,
  /** A change whose only deployment failed (likely rolled back) keeps this share of its score. */
  failedDeployFactor: 0.5,
  /** A commit with no deployment, in a repo whose deployments were found, keeps this share. */
  undeployedFactor: 0.3,
  /** A change deployed only to another environment (staging) keeps this share: it is not live here. */
  elsewhereFactor: 0.2,
  /** An event whose kind is unknown is a weak change (13.1), not a config change by default. */
  unknownEventFactor: 0.6,
  /** A rollout whose new errors are this concentrated on its version is linked to them (canary, split by version). */
  versionShare: 0.8,
  /** ...and only when the rollout was partial: the version served this much less than a full cutover would have. */
  partialRolloutMargin: 0.15,
  /** A split's value that reported within this long of the last point is still serving. */
  stillReportingMs: 5 * 60_000,
  /**
   * Hard links beyond the code match (mechanism.ts; the code match itself is
   * tools/analysis/change-match.ts with CHANGE_MATCH_DEFAULTS): the change touching the failure's
   * mode (memory, pool, timeout…), new errors on a partial rollout's version, and OOM kills that
   * followed a release (and none before it). A rollout names
   * its best commit when that commit's links reach `memberStandsOut`. The failure side is read up
   * to `corpusChars`.
   */
  mechanism: {
    failureMode: 0.45,
    version: 0.8,
    oomAfterRelease: 0.5,
    memberStandsOut: 0.5,
    corpusChars: 40_000,
  },
  /** OOM kills this long after a release still point at it (a leak takes hours to fill memory). */
  leakWindowMs: 6 * 3_600_000,
  /**
   * Confidence (13.9): a suspect is decisive when its mechanism reaches `decisiveMechanism` and its
   * timing `decisiveTiming`; high confidence needs a decisive top suspect.
   */
  confidence: { decisiveMechanism: 0.6, decisiveTiming: 0.3 },

  // Causes that are not changes (score.ts).
  /** A metric's own shift counts as "at the onset" within this distance of it. */
  nearOnsetMs: 15 * 60_000,
  /**
   * A failing dependency: `base`, plus up to `shareWeight` as the share of new errors naming it
   * reaches `fullShare`, plus `ownOnsetBonus` when its own metrics shifted at the onset, plus
   * `knownDependencyBonus` when it is a catalog dependency or outside the catalog (an external host).
   */
  dependency: {
    shareWeight: 0.6,
    fullShare: 0.5,
    ownShift: 0.25,
    ownErrors: 0.15,
    statusPage: 0.3,
    /** New errors must point at it this much to make it a suspect; a peer below this share of a group is noise. */
    minShare: 0.15,
    /** ...and at least this many lines: five errors in a blip name nothing. */
    minLines: 10,
    peerShare: 0.5,
    /** New span errors a service must have before its traces say which peer its failing calls reach. */
    minTraceErrors: 3,
    /** A change in the failing dependency with this much time credit explains it: it takes the link, the dependency keeps `explainedFactor`. */
    explainingChangeTiming: 0.5,
    /** A migration or batch job with a hard link explains lock contention with this much time credit (it builds for a while). */
    latentExplainingTiming: 0.15,
    latentExplainingMechanism: 0.5,
    explainingChangeBonus: 0.35,
    explainedFactor: 0.6,
    /** ...and this share when the dependency shows no failure of its own (no errors, no metric shift). */
    explainedHealthyFactor: 0.3,
    /** The dependency's own errors stopped this long before the service's did: it recovered, the service did not. */
    recoveredGapMs: 5 * 60_000,
    recoveredFactor: 0.5,
  },
  /** Certificate and DNS failures: `signature` for the error kind, plus `shareWeight` x its share of new errors. */
  infrastructure: { signature: 0.5, shareWeight: 0.5 },
  /**
   * A traffic surge: `base`, plus `perRatio` for every 1x of surge beyond `capacityRatio` (at most
   * `maxRatioBonus`), plus `strainBonus` when saturation signals rose with it.
   */
  capacity: {
    /**
     * Demand up this much is a surge when a queue, a pool or the CPU saturates with it at the same
     * moment (alone it takes `capacityRatio`): a third more work is what a queue's consumers or a
     * pool cannot absorb when they already ran close to their limit. Fit on tuning worlds: queue
     * backlogs with demand up 1.27-1.56x.
     */
    strainedRatio: 1.2,
    base: 0.45,
    perRatio: 0.1,
    maxRatioBonus: 0.2,
    strainBonus: 0.2,
    autoscalerBonus: 0.15,
    newErrorPenalty: 0.2,
  },
  /**
   * One bad host: at least `minLines` new error lines and `hostShare` of them; its link is
   * `concentration` x share, plus `healthyPeers` when other hosts serve the traffic, plus
   * `nodeEvent` when the platform reported the host (NotReady, disk, retirement); the whole score
   * keeps `containerTroubleFactor` when the service's own containers were OOM-killed or restarted
   * and nothing was reported of the host (the dying container, not the machine), and
   * `explainedByChangeFactor` when the host's error lines are calls to a dependency that a change
   * explains (a network rule that dropped one zone's subnet: the host is where the change bit).
   */
  host: {
    minLines: 10,
    concentration: 0.5,
    healthyPeers: 0.2,
    nodeEvent: 0.3,
    containerTroubleFactor: 0.5,
    explainedByChangeFactor: 0.5,
  },

  // The summary (synthesize.ts).
  /** Runbooks and similar past incidents shown. */
  maxRunbooks: 3,
  maxSimilarIncidents: 3,
  /**
   * Runbook order nudges on top of retrieval order: an operational page (runbook, playbook), a
   * page naming the service, and a learned boost's sign, which outweighs one naming heuristic.
   */
  runbookBonus: { operational: 1, service: 1, learned: 1.5 },
} as const;

/** Hard evidence outweighs timing: timing alone never outranks a mechanism (13.3). */
export const DEFAULT_WEIGHTS: Weights = { time: 0.3, service: 0.2, overlap: 0.5 };
