import type { EventData } from '../../tools/datadog/events';
import { tagValue } from '../alert';

/**
 * What a DataDog event is, decided from its `source`, tags and title before anything is scored
 * (issue 13.1). Changes are suspects; observations (monitor transitions, probe failures,
 * autoscaler actions, OOM kills, node conditions, vendor status pages) only corroborate or date
 * the failure; notices about the future are dropped. An event of unknown kind is a weak change.
 */
export type EventRole =
  | { role: 'change'; kind: 'deployment'; deployment: DeploymentEventInfo }
  | { role: 'change'; kind: 'config_change' | 'feature_flag' | 'infrastructure' | 'unknown' }
  | { role: 'observation'; kind: ObservationKind }
  | { role: 'notice' };

export type ObservationKind =
  | 'monitor'
  | 'probe'
  | 'autoscaler'
  | 'oom'
  | 'restart'
  | 'node'
  | 'status_page'
  | 'cloud_health'
  | 'other';

export type DeploymentEventInfo = {
  id?: string;
  sha?: string;
  version?: string;
  env?: string;
  /** started / step / complete / failed: one rollout emits several; it is timed at its start. */
  phase: 'start' | 'step' | 'complete' | 'failed';
};

/** Event sources that report what happened to the system rather than what someone changed. */
const OBSERVATION_SOURCES = new Set(['monitor', 'monitors', 'alert', 'synthetics', 'watchdog', 'apm', 'slo']);
/** Sources whose events are deployments when they carry no clearer title. */
const DEPLOY_SOURCES = new Set([
  'argocd',
  'spinnaker',
  'github',
  'gitlab',
  'jenkins',
  'circleci',
  'octopus',
  'harness',
  'flux',
  'deploy',
  'deployment',
  'buildkite',
  'codedeploy',
]);
const FLAG_SOURCES = new Set(['launchdarkly', 'split', 'flagsmith', 'unleash', 'optimizely', 'statsig']);
const CONFIG_SOURCES = new Set([
  'terraform',
  'consul',
  'etcd',
  'puppet',
  'chef',
  'ansible',
  'pulumi',
  'cloudformation',
]);

const FUTURE =
  /\bscheduled\b|\bupcoming\b|\btomorrow\b|\bnext (?:week|month|maintenance)\b|\bwill (?:be|start|begin)\b|\bplanned maintenance\b/i;
const MONITOR_TITLE =
  /^\s*(?:\[(?:triggered|warn|warning|recovered|re-triggered|no data|renotify|p\d)[^\]]*\]|(?:triggered|warn|recovered|re-triggered|no data|renotify):)/i;
const PROBE =
  /\b(?:liveness|readiness|startup) probe\b|health ?check (?:failed|failing)|\bsynthetics?\b|api test .* (?:is )?failing/i;
const AUTOSCALER =
  /autoscal|horizontalpodautoscaler|\bhpa\b|new size: \d+|scaled (?:up|down|out|in) (?:to|from)|desired capacity/i;
const OOM = /\boom(?:killed|[ -]kill(?:ed)?)?\b|out of memory|system oom encountered/i;
const RESTART = /back-?off restarting|crashloopbackoff|container .* restarted|\brestarted\b/i;
const NODE =
  /\bnode ?(?:not ?ready|has(?:insufficient|disk|memory|pid)\w*)\b|status is now: node|kubelet stopped|pleg is not healthy|disk (?:space|pressure) (?:low|high)|instance (?:retired|impaired|status check failed)|scheduled for retirement|instance [\w-]+ (?:is )?(?:retiring|impaired|degraded)/i;
const STATUS_PAGE =
  /status ?page|\[investigating\]|\[identified\]|\[monitoring\]|\[resolved\]|degraded performance|partial outage|major outage/i;
const CLOUD_HEALTH =
  /\baws health\b|\bgcp (?:service )?health\b|azure (?:service )?health|multi-az .* failover|\brds event\b/i;
const ROLLOUT =
  /\bdeploy(?:ed|ing|ment)?\b|\brelease[ds]?\b|\brollout\b|\brolled out\b|\bsync (?:started|succeeded|failed|running)\b|\bpipeline\b.*\b(?:started|succeeded|running|failed)\b|\bcanary\b|\bpromot(?:ed|ion)\b|replica ?set .* to \d+/i;
const CONFIG =
  /\bconfig|\bsetting|\bparameter|\bkv\b|terraform|consul|\bapplied\b|\bupdated?\b|security group|\bingress\b|\brate.?limit|\bfirewall\b|\bwaf\b|\bproxy\b|\broute\b/i;
/** A batch workload starting: it competes for the databases and queues it shares. */
const BATCH =
  /\b(?:cron ?job|job|batch|backfill|migration|reindex|vacuum|export)\b.*\b(?:started|running|began|kicked off)\b/i;
const BATCH_SOURCES = new Set([
  'cron',
  'airflow',
  'argo-workflows',
  'dagster',
  'prefect',
  'sidekiq',
  'celery',
]);
const INFRA_CHANGE =
  /\bresized\b|\bmigrated\b|\bdrain(?:ed|ing)?\b|\breboot(?:ed)?\b|\breplaced\b|instance type|node pool|cordon/i;

/** Pure: the role of one event. `now` drops notices dated after the investigation's clock. */
export function classifyEvent(e: EventData, now?: number): EventRole {
  const source = e.source.toLowerCase();
  const title = e.title;
  const text = `${e.title} ${e.text}`;
  const time = Date.parse(e.time);
  if (now !== undefined && Number.isFinite(time) && time > now) return { role: 'notice' };
  // A host the platform retires or reports impaired is degraded now, whatever tense the notice uses.
  if (NODE.test(title)) return { role: 'observation', kind: 'node' };
  if (FUTURE.test(title) || e.tags.some((t) => /^maintenance\b|^scheduled\b/i.test(t)))
    return { role: 'notice' };

  const deploymentId = tagValue(e.tags, 'deployment_id');
  const sha = tagValue(e.tags, 'git.commit.sha');
  if (
    FLAG_SOURCES.has(source) ||
    /\bfeature flag\b|\bflag [\w.-]+ (?:turned|changed|updated|toggled)/i.test(title)
  )
    return { role: 'change', kind: 'feature_flag' };
  if (OBSERVATION_SOURCES.has(source) || MONITOR_TITLE.test(title))
    return { role: 'observation', kind: PROBE.test(title) ? 'probe' : 'monitor' };
  if (OOM.test(text)) return { role: 'observation', kind: 'oom' };
  if (NODE.test(text)) return { role: 'observation', kind: 'node' };
  if (PROBE.test(title)) return { role: 'observation', kind: 'probe' };
  if (RESTART.test(title)) return { role: 'observation', kind: 'restart' };
  if (CLOUD_HEALTH.test(title)) return { role: 'observation', kind: 'cloud_health' };
  if (STATUS_PAGE.test(title) || source === 'statuspage') return { role: 'observation', kind: 'status_page' };
  if (deploymentId || sha || (DEPLOY_SOURCES.has(source) && ROLLOUT.test(text)) || ROLLOUT.test(title)) {
    // Scaling a replica set with no new version is the autoscaler, not a rollout.
    if (!deploymentId && !sha && AUTOSCALER.test(title)) return { role: 'observation', kind: 'autoscaler' };
    return { role: 'change', kind: 'deployment', deployment: deploymentInfo(e, deploymentId, sha) };
  }
  if (AUTOSCALER.test(title)) return { role: 'observation', kind: 'autoscaler' };
  if (BATCH_SOURCES.has(source) || BATCH.test(title)) return { role: 'change', kind: 'infrastructure' };
  if (CONFIG_SOURCES.has(source) || CONFIG.test(title)) return { role: 'change', kind: 'config_change' };
  if (INFRA_CHANGE.test(title)) return { role: 'change', kind: 'infrastructure' };
  return { role: 'change', kind: 'unknown' };
}

function deploymentInfo(e: EventData, id: string | undefined, sha: string | undefined): DeploymentEventInfo {
  const t = `${e.title} ${e.text}`.toLowerCase();
  const phase: DeploymentEventInfo['phase'] =
    /\bfail(?:ed|ure)?\b|\baborted\b|\brolled back\b|\berror\b/.test(t)
      ? 'failed'
      : /\bstarted\b|\bstarting\b|\bsyncing\b|\bdeploying\b|\bscaled up\b/.test(t)
        ? 'start'
        : /\bsucceeded\b|\bsynced\b|\bcompleted?\b|\bfinished\b|\bdeployed\b|\bsuccess/.test(t)
          ? 'complete'
          : 'step';
  const shaInText = /\b[0-9a-f]{7,40}\b/.exec(`${e.title} ${e.text}`)?.[0];
  return {
    ...(id ? { id } : {}),
    ...(sha ? { sha } : shaInText && /[a-f]/.test(shaInText) ? { sha: shaInText } : {}),
    ...(tagValue(e.tags, 'version') ? { version: tagValue(e.tags, 'version') } : {}),
    ...(tagValue(e.tags, 'env') ? { env: tagValue(e.tags, 'env') } : {}),
    phase,
  };
}

/**
 * Environment names are spelled many ways; these are production. A deploy to another
 * environment does not make a change live where the alert fires.
 */
const PRODUCTION = new Set(['prod', 'production', 'prd', 'live', 'prod-us', 'prod-eu']);

/** True when two environment names mean the same environment (prod = production = prd). */
export function sameEnvironment(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return true;
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (x === y) return true;
  return PRODUCTION.has(x) && PRODUCTION.has(y);
}
