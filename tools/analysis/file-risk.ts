/**
 * The prior risk of a change from what kind of files it touches, before any evidence: docs,
 * tests, lockfiles and CI rarely break production; config and migrations often do (they change
 * behaviour without a code path to read). Pure.
 */
export type RiskLevel = 'low' | 'neutral' | 'high';

export type FileKind = 'docs' | 'test' | 'lockfile' | 'ci' | 'config' | 'migration' | 'source';

export const RISK_OF: Record<FileKind, RiskLevel> = {
  docs: 'low',
  test: 'low',
  lockfile: 'low',
  ci: 'low',
  config: 'high',
  migration: 'high',
  source: 'neutral',
};

// Checked in this order: a lockfile or CI workflow is YAML/JSON too, a test fixture may be JSON,
// and docs may carry sample config; only what is left is judged by its format (extension), never
// by its folder: `src/config/pool.ts` is code.
const KINDS: [FileKind, RegExp][] = [
  [
    'lockfile',
    /(?:^|\/)(?:package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|bun\.lockb?|Gemfile\.lock|poetry\.lock|Pipfile\.lock|uv\.lock|go\.sum|Cargo\.lock|composer\.lock|packages\.lock\.json|gradle\.lockfile)$/,
  ],
  [
    'ci',
    /(?:^|\/)(?:\.github|\.gitlab|\.circleci|\.buildkite)\/|(?:^|\/)(?:\.gitlab-ci\.yml|Jenkinsfile|\.travis\.yml|azure-pipelines\.yml|bitbucket-pipelines\.yml)$/,
  ],
  [
    'docs',
    /(?:^|\/)docs?\/|\.(?:md|mdx|rst|adoc)$|(?:^|\/)(?:README|CHANGELOG|LICENSE|CONTRIBUTING|CODEOWNERS|NOTICE)(?:\.[A-Za-z]+)?$/,
  ],
  [
    'test',
    /(?:^|\/)(?:tests?|__tests__|spec|specs|testdata|fixtures|e2e)\/|\.(?:test|spec)\.[a-z]+$|_test\.go$|(?:^|\/)test_[^/]+\.py$|_spec\.rb$|Tests?\.(?:java|kt|cs)$/,
  ],
  ['migration', /(?:^|\/)(?:migrations?|migrate|alembic|flyway|liquibase)\/|\.sql$/i],
  ['config', /\.(?:ya?ml|json|env|properties|toml|ini|conf|cfg|tf|tfvars|hcl)$|(?:^|\/)\.env(?:\.[\w-]+)?$/i],
];

export function fileKind(path: string): FileKind {
  for (const [kind, re] of KINDS) if (re.test(path)) return kind;
  return 'source';
}

const RANK: Record<RiskLevel, number> = { low: 0, neutral: 1, high: 2 };

export type ChangeRisk = { level: RiskLevel; reason: string };

/** A change is as risky as its riskiest file; the reason names the files that decided it. */
export function changeRisk(paths: readonly string[]): ChangeRisk {
  if (paths.length === 0) return { level: 'neutral', reason: 'no changed files listed: neutral risk prior' };
  const kinds = paths.map((p) => ({ path: p, kind: fileKind(p) }));
  const level = kinds.reduce<RiskLevel>(
    (top, k) => (RANK[RISK_OF[k.kind]] > RANK[top] ? RISK_OF[k.kind] : top),
    'low',
  );
  const deciding = kinds.filter((k) => RISK_OF[k.kind] === level);
  const named = deciding
    .slice(0, 3)
    .map((k) => k.path)
    .join(', ');
  const more = deciding.length > 3 ? ` and ${deciding.length - 3} more` : '';
  if (level === 'high') {
    const what = [...new Set(deciding.map((k) => k.kind))].join(' and ');
    return { level, reason: `changes ${what} (${named}${more}): high risk prior` };
  }
  if (level === 'low') {
    const what = [...new Set(deciding.map((k) => k.kind))].join(', ');
    return { level, reason: `changes only ${what} files (${named}${more}): low risk prior` };
  }
  return { level, reason: `changes source code (${named}${more}): neutral risk prior` };
}
