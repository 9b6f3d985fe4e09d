import { hex, MINUTE, pick, type Rng, uuid } from '../lib';
import { monitorQuery, renderAlert, renderMonitors } from './alerts';
import { reportedOutsideCluster } from './cluster';
import { renderCluster } from './cluster-render';
import type { WorldDraft } from './draft';
import { servicesOf } from './estate';
import { renderTelemetry } from './telemetry';

/**
 * Turns a finished draft into the scenario contract's files (DESIGN.md: scenario worlds).
 * Rollouts appear the way the estate's deploy tool reports them: GitHub deployments, and/or
 * DataDog events from Argo CD, Spinnaker or Kubernetes carrying `deployment_id`,
 * `git.commit.sha` and `version` tags; in a world with a cluster, some services' rollouts only as
 * the ReplicaSet revisions of its k8s/ folder.
 */
export function renderWorld(d: WorldDraft, id: string): Record<string, unknown> {
  const r = d.fork(909);
  const e = d.estate;
  const telemetry = renderTelemetry(d);
  const cluster = d.cluster ? renderCluster(d, d.cluster) : undefined;
  const files: Record<string, unknown> = {
    'scenario.json': {
      id,
      title: d.title,
      now: d.now,
      alert: renderAlert(d, r),
      catalog: {
        services: Object.fromEntries(
          servicesOf(e).map((s) => [
            s.name,
            {
              repos: [s.repo, s.deployRepo].filter((x): x is string => x !== null),
              team: s.team,
              ...(e.catalogHasDependsOn && s.dependsOn.length ? { dependsOn: s.dependsOn } : {}),
              ...(cluster?.catalog && s.repo ? { kubernetes: cluster.catalog(s.name) } : {}),
            },
          ]),
        ),
      },
      slackChannels: { incidents: { id: 'C0INCIDENTS', private: false } },
    },
    'datadog/monitors.json': renderMonitors(d),
    'datadog/metrics.json': telemetry.metrics,
    'datadog/logs.json': telemetry.logs,
    'datadog/spans.json': telemetry.spans,
    'datadog/events.json': renderEvents(d, r),
    ...renderRepos(d),
    'rootly/incidents.json': renderIncidents(d, r),
    'flags.json': d.flags
      .map((f) => ({
        key: f.key,
        ...(f.service ? { service: f.service } : {}),
        changedAt: d.at(f.minute),
        from: f.from,
        to: f.to,
        ...(f.actor ? { actor: f.actor } : {}),
      }))
      .sort((a, b) => a.changedAt.localeCompare(b.changedAt)),
    ...renderDocs(d),
    'slack/incidents.json': renderSlack(d),
    ...cluster?.files,
  };
  // A rollout only the cluster reports is named by its workload revision, not a deployment id.
  if (d.truth)
    files['truth.json'] = {
      ...d.truth,
      accept: d.truth.accept.map((ref) => cluster?.refs.get(ref) ?? ref),
    };
  return files;
}

function renderRepos(d: WorldDraft): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const repos = new Set([...d.commits.keys(), ...d.rollouts.map((x) => x.repo).filter(Boolean)]);
  for (const repo of [...repos].sort()) {
    const commits = (d.commits.get(repo) ?? []).slice().sort((a, b) => b.minute - a.minute);
    const useGithubDeployments = d.estate.deployTool === 'github' || d.seed % 2 === 0;
    out[`github/${repo}.json`] = {
      commits: commits.map((c) => ({
        sha: c.sha,
        message: c.pr ? `${c.message} (#${c.prNumber})` : c.message,
        author: c.author!,
        date: d.at(c.minute),
        files: c.files,
      })),
      pulls: commits
        .filter((c) => c.pr)
        .map((c) => ({
          number: c.prNumber!,
          title: c.pr!.title,
          body: c.pr!.body,
          user: c.author!,
          mergedAt: d.at(c.minute),
          mergeCommitSha: c.sha,
          labels: c.pr!.labels ?? [],
        })),
      deployments: useGithubDeployments
        ? d.rollouts
            .filter((x) => x.repo === repo && reportedOutsideCluster(d, x.service))
            .sort((a, b) => b.minute - a.minute)
            .map((x) => ({
              id: Number(x.id),
              sha: x.sha,
              environment: x.env,
              createdAt: d.at(x.minute),
              status: x.status,
              description: `${x.service} ${x.version}${x.canaryHosts ? ' (canary)' : ''}`,
              creator: 'deploy-bot',
            }))
        : [],
    };
  }
  return out;
}

function renderEvents(d: WorldDraft, r: Rng) {
  const e = d.estate;
  const events: { timestamp: string; title: string; text?: string; tags: string[]; source?: string }[] = [];
  for (const x of d.rollouts) {
    // Drawn for every rollout either way, so a cluster-only one leaves the other events as they were.
    const out = reportedOutsideCluster(d, x.service) ? events : [];
    const tags = [
      `service:${x.service}`,
      `env:${x.env}`,
      `version:${x.version}`,
      `git.commit.sha:${x.sha}`,
      `deployment_id:${x.id}`,
    ];
    const short = x.sha.slice(0, 7);
    const canary = x.canaryHosts ? ' (canary)' : '';
    if (e.deployTool === 'argocd') {
      out.push({
        timestamp: d.at(x.minute),
        title: `Application ${x.service}-${x.env} sync started`,
        text: `Syncing to revision ${x.sha}${canary}`,
        tags,
        source: 'argocd',
      });
      out.push({
        timestamp: d.at(x.minute + 2),
        title: `Application ${x.service}-${x.env} sync ${x.status === 'failure' ? 'failed' : 'succeeded'}`,
        text: `Synced to revision ${short} (${x.version})`,
        tags,
        source: 'argocd',
      });
    } else if (e.deployTool === 'spinnaker') {
      out.push({
        timestamp: d.at(x.minute),
        title: `Pipeline deploy-${x.service} started`,
        text: `Deploying ${x.version}${canary} to ${x.env}`,
        tags,
        source: 'spinnaker',
      });
      out.push({
        timestamp: d.at(x.minute + 1),
        title: `Stage "Deploy (${x.env})" of deploy-${x.service} running`,
        tags,
        source: 'spinnaker',
      });
      out.push({
        timestamp: d.at(x.minute + 3),
        title: `Pipeline deploy-${x.service} ${x.status === 'failure' ? 'failed' : 'succeeded'}`,
        text: `Execution ${hex(r, 8)}`,
        tags,
        source: 'spinnaker',
      });
    } else if (e.deployTool === 'kubernetes') {
      out.push({
        timestamp: d.at(x.minute),
        title: `Scaled up replica set ${x.service}-${hex(r, 10)} to ${x.canaryHosts?.length ?? 3}`,
        text: `Deployment ${x.service}: image ${x.service}:${x.version}${canary}`,
        tags: [...tags, `kube_deployment:${x.service}`, `image_tag:${x.version}`],
        source: 'kubernetes',
      });
    } else {
      out.push({
        timestamp: d.at(x.minute),
        title: `Deployed ${x.service} ${short} to ${x.env}`,
        text: `Deployment ${x.id}${canary}`,
        tags: [...tags, 'deployment'],
        source: 'github',
      });
    }
  }
  // Monitors that fire as the failure spreads show up as monitor events: symptoms, not changes.
  for (const m of d.monitors) {
    if (m === d.alertMonitor || m.state === 'OK') continue;
    const q = monitorQuery(m, e);
    events.push({
      timestamp: d.at(d.onset + 4 + Math.floor(r() * 6)),
      title: `[${m.state === 'Warn' ? 'Warn' : 'Triggered'}] ${q.name}`,
      text: q.query,
      tags: [`service:${m.service.name}`, `env:${e.env}`, `monitor:${m.id}`],
      source: 'monitor',
    });
  }
  for (const x of d.events)
    events.push({
      timestamp: d.at(x.minute),
      title: x.title,
      ...(x.text ? { text: x.text } : {}),
      tags: x.tags,
      ...(x.source ? { source: x.source } : {}),
    });
  return events.sort((a, b) => a.timestamp.localeCompare(b.timestamp));
}

function renderIncidents(d: WorldDraft, r: Rng) {
  const base = Date.parse(d.now);
  return d.knowledge.incidents.map((i) => {
    const started = base - i.daysAgo * 24 * 60 * MINUTE;
    return {
      id: i.id,
      title: i.title,
      summary: i.summary,
      severity: pick(r, ['sev1', 'sev2', 'sev3']),
      services: i.services,
      startedAt: new Date(started).toISOString().replace('.000Z', 'Z'),
      resolvedAt: new Date(started + (30 + Math.floor(r() * 200)) * MINUTE)
        .toISOString()
        .replace('.000Z', 'Z'),
      cause: i.cause,
      mitigation: i.mitigation,
      url: `https://${d.estate.slug}.rootly.com/incidents/${i.id.slice(0, 8)}`,
    };
  });
}

function renderDocs(d: WorldDraft): Record<string, string> {
  const out: Record<string, string> = {};
  for (const doc of d.knowledge.runbooks) {
    const source = doc.source ?? 'runbook';
    const url =
      source === 'confluence'
        ? `https://${d.estate.slug}.atlassian.net/wiki/spaces/ENG/pages/${100000 + doc.path.length * 37}`
        : source === 'notion'
          ? `https://www.notion.so/${d.estate.slug}/${doc.title.replace(/\W+/g, '-')}`
          : `https://wiki.${d.estate.domain}/${doc.path.replace(/\.md$/, '')}`;
    out[`docs/${doc.path}`] =
      `---\ntitle: "${doc.title.replace(/"/g, "'")}"\nurl: ${url}\nsource: ${source}\nupdatedAt: ${d.at(-60 * 24 * 20)}\n---\n# ${doc.title}\n\n${doc.body.trim()}\n`;
  }
  return out;
}

function renderSlack(d: WorldDraft) {
  const base = Math.floor(Date.parse(d.now) / 1000);
  return d.knowledge.slack
    .map((m, i) => ({
      ts: `${base - m.daysAgo * 86400 + i}.000${String(100 + i).padStart(3, '0')}`,
      user: m.user,
      text: m.text,
    }))
    .sort((a, b) => a.ts.localeCompare(b.ts));
}

/** A Rootly-style incident id. */
export function incidentId(r: Rng): string {
  return uuid(r);
}
