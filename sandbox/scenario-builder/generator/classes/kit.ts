import { hex, pick, type Rng, uuid } from '../../lib';
import type { MonitorKind, WorldDraft } from '../draft';
import type { ErrorSpec, StackFrame } from '../effects';
import type { Lang, Service } from '../estate';
import { baseName, pascal, snake } from '../naming';

/**
 * What every incident class shares: source paths in the service's language, stack frames that
 * run through a changed file, pod names, errors towards whichever peer a request called, the
 * alert's monitor kind and when it fires, and the runbook / past incident that a careful
 * engineer would find for this failure.
 */
export type IncidentClass = {
  /** Stable class name: eval rows are grouped by it. */
  name: string;
  variants: readonly string[];
  build(d: WorldDraft, variant: string): void;
};

/** An error's kind and message in each language: what one failure reads like in every stack. */
export type ErrorByLang = Record<Lang, [kind: string, message: string]>;

const EXT: Record<Lang, string> = {
  node: 'ts',
  ruby: 'rb',
  java: 'java',
  python: 'py',
  go: 'go',
  dotnet: 'cs',
};

/** PascalCase across path separators too (`pricing/unit-price` -> `PricingUnitPrice`). */
function pascalPath(s: string): string {
  return s.split(/[./]/).map(pascal).join('');
}

/** A source path in the service's language and layout, for a module named `area/name`. */
export function sourcePath(s: Service, area: string, name: string, slug = 'acme'): string {
  const base = snake(baseName(s));
  switch (s.lang) {
    case 'java':
      return `src/main/java/com/${slug}/${base}/${area}/${pascalPath(name)}.java`;
    case 'dotnet':
      return `src/${pascalPath(base)}/${pascalPath(area)}/${pascalPath(name)}.cs`;
    case 'python':
      return `${base}/${area}/${snake(name)}.py`;
    case 'go':
      return `internal/${area}/${snake(name)}.go`;
    case 'ruby':
      return `app/${area}/${snake(name)}.rb`;
    default:
      return `src/${area}/${name}.${EXT.node}`;
  }
}

/** Where `s` keeps its client for calling `dep`: `clients/<dep>-client`, in its language's layout. */
export function clientPath(s: Service, dep: Service, slug: string): string {
  return sourcePath(s, 'clients', `${baseName(dep)}-client`, slug);
}

/** The Helm values file of one environment in a service's deploy-config repository. */
export function deployValuesPath(s: Service, env: string): string {
  return `charts/${s.name}/values-${env}.yaml`;
}

export function configPath(s: Service, env: string): string {
  switch (s.lang) {
    case 'java':
      return `src/main/resources/application-${env}.yml`;
    case 'ruby':
      return `config/environments/${env}.rb`;
    case 'python':
      return `config/${env}.toml`;
    case 'dotnet':
      return `appsettings.${pascalPath(env)}.json`;
    case 'go':
      return `deploy/${env}/config.yaml`;
    default:
      return `config/${env}.json`;
  }
}

export function testPath(s: Service, area: string, name: string): string {
  switch (s.lang) {
    case 'java':
      return `src/test/java/${area}/${pascalPath(name)}Test.java`;
    case 'python':
      return `tests/${area}/test_${snake(name)}.py`;
    case 'go':
      return `internal/${area}/${snake(name)}_test.go`;
    case 'ruby':
      return `spec/${area}/${snake(name)}_spec.rb`;
    case 'dotnet':
      return `tests/${pascalPath(area)}/${pascalPath(name)}Tests.cs`;
    default:
      return `test/${area}/${name}.test.ts`;
  }
}

/** Frames from the throwing one outwards: the changed file on top, callers below it. */
export function framesThrough(
  s: Service,
  slug: string,
  r: Rng,
  throwing: { path: string; fn: string },
): StackFrame[] {
  const callers = [
    { path: sourcePath(s, 'http', 'router', slug), fn: 'handle' },
    { path: sourcePath(s, 'middleware', 'auth', slug), fn: 'authenticate' },
    { path: sourcePath(s, 'http', 'server', slug), fn: 'dispatch' },
  ];
  return [
    { file: throwing.path, fn: throwing.fn, line: 20 + Math.floor(r() * 200) },
    ...callers.map((c) => ({ file: c.path, fn: c.fn, line: 10 + Math.floor(r() * 120) })),
  ];
}

/** A Kubernetes pod of the service's deployment: replica set hash, then the pod's own suffix. */
export function podName(r: Rng, s: Service): string {
  return `${s.name}-${hex(r, 10)}-${hex(r, 5)}`;
}

/** An error whose message names the peer the failing request was calling. */
export type PeerError = { kind: string; message: (r: Rng, peer: string) => string };

/** Requests failing towards any of `peers`: each failing request draws the peer it was calling. */
export function towardsAnyPeer(error: PeerError, peers: string[], status: number): ErrorSpec {
  return { kind: error.kind, message: (r) => error.message(r, pick(r, peers)), status };
}

/** A unified-diff hunk for a patch field. */
export function patch(removed: string[], added: string[], at = 12): string {
  return [
    `@@ -${at},${removed.length + 2} +${at},${added.length + 2} @@`,
    ' ',
    ...removed.map((l) => `-${l}`),
    ...added.map((l) => `+${l}`),
    ' ',
  ].join('\n');
}

/**
 * The monitor that would catch an error-raising failure: the estate's error count or ratio, or,
 * when a large share of requests fails, the product's business metric (completions drop).
 */
export function errorMonitorKind(d: WorldDraft, r: Rng, failingShare: number): MonitorKind {
  if (d.estate.ratioMonitors) return 'error-ratio';
  return failingShare >= 0.35 && r() < 0.4 ? 'business' : 'errors';
}

/**
 * Raises the alert: `s`'s `kind` monitor fires a few minutes after the onset, once its evaluation
 * window has seen the failure (`after`: the least minutes and the spread drawn on top), with a
 * drawn priority.
 */
export function alertAfterOnset(
  d: WorldDraft,
  kind: MonitorKind,
  s: Service,
  after: readonly [least: number, spread: number] = [3, 5],
): void {
  d.alertOn(kind, s, d.onset + after[0] + Math.floor(d.r() * after[1]), pick(d.r, [undefined, 2, 3]));
}

/** Adds the runbook a careful engineer would open, and returns its doc id. */
export function runbook(
  d: WorldDraft,
  path: string,
  title: string,
  body: string,
  source?: 'runbook' | 'confluence' | 'notion',
): string {
  d.knowledge.runbooks.push({ path, title, body, source });
  return path;
}

/** Adds a past incident with the same mechanism, and returns its id. */
export function pastIncident(
  d: WorldDraft,
  r: Rng,
  spec: { title: string; summary: string; cause: string; mitigation: string; services: string[] },
): string {
  const id = uuid(r);
  d.knowledge.incidents.push({ id, daysAgo: 20 + Math.floor(r() * 300), ...spec });
  return id;
}

/** The cause's lead time before the onset, in minutes: immediate failures or latent ones. */
export function leadTime(r: Rng, latent: boolean): number {
  return latent ? 35 + Math.floor(r() * 56) : 2 + Math.floor(r() * 14);
}
