import { hex, pick, type Rng } from '../../lib';
import { addCluster } from '../cluster';
import type { MonitorKind } from '../draft';
import { ramp } from '../effects';
import type { Lang } from '../estate';
import { baseName } from '../naming';
import { baseMemoryMb } from '../telemetry';
import {
  framesThrough,
  type IncidentClass,
  leadTime,
  pastIncident,
  patch,
  podName,
  runbook,
  sourcePath,
  testPath,
} from './kit';
import { shipInRollout } from './releases';
import { upstreamError } from './remote-call-errors';

/**
 * A deploy of the alerting service ships a commit that leaks memory: a cache without a bound,
 * a listener registered per request, a buffer that is never flushed. Every pod's memory climbs
 * from the deploy for 30-90 minutes; the fastest pod then thrashes in GC (latency, errors in the
 * runtime's own words) and is killed (OOMKilled, or the runtime aborts), restarts, and starts
 * climbing again while the others follow. The page is memory, errors or latency; the rollout
 * that started the climb is some time before it, and its range may hold more than the leak.
 */

type Mechanism = 'unbounded-cache' | 'listener-leak' | 'growing-buffer';

type Leak = {
  area: string;
  file: string;
  fn: string;
  commit: string;
  body: string;
  keywords: string[];
  code: Record<Lang, [removed: string[], added: string[]]>;
};

const LEAKS: Record<Mechanism, Leak> = {
  'unbounded-cache': {
    area: 'cache',
    file: 'pricing-rules-cache',
    fn: 'rulesFor',
    commit: 'Memoize pricing rules per session',
    body: 'Profiling showed the LRU bookkeeping on the hot path. Rules are small, so keep them in a plain map keyed by tenant and session.',
    keywords: ['cache', 'pricing-rules-cache', 'unbounded'],
    code: {
      node: [
        ['const rulesCache = new LRUCache<string, Rules>({ max: 5_000, ttl: 60_000 });'],
        ['const rulesCache = new Map<string, Rules>();', "const key = tenantId + ':' + sessionId;"],
      ],
      java: [
        [
          'private final Cache<String, Rules> rules = Caffeine.newBuilder().maximumSize(5_000).expireAfterWrite(Duration.ofMinutes(1)).build();',
        ],
        [
          'private final Map<String, Rules> rules = new ConcurrentHashMap<>();',
          'return rules.computeIfAbsent(tenantId + ":" + sessionId, k -> load(tenantId));',
        ],
      ],
      python: [
        ['@lru_cache(maxsize=4096)', 'def rules_for(tenant_id):'],
        ['@lru_cache(maxsize=None)', 'def rules_for(tenant_id, session_id):'],
      ],
      go: [
        ['rules, _ := lru.New[string, Rules](5000)'],
        ['rules := map[string]Rules{} // guarded by mu', 'rules[tenantID+":"+sessionID] = r'],
      ],
      ruby: [
        ['Rails.cache.fetch(["rules", tenant_id], expires_in: 1.minute) { load_rules(tenant_id) }'],
        ['@@rules[[tenant_id, session_id]] ||= load_rules(tenant_id)'],
      ],
      dotnet: [
        [
          'return _cache.GetOrCreate(tenantId, e => { e.SetSize(1); e.SlidingExpiration = TimeSpan.FromMinutes(1); return Load(tenantId); });',
        ],
        [
          'private static readonly ConcurrentDictionary<string, Rules> RulesCache = new();',
          'return RulesCache.GetOrAdd($"{tenantId}:{sessionId}", _ => Load(tenantId));',
        ],
      ],
    },
  },
  'listener-leak': {
    area: 'events',
    file: 'rates-subscriber',
    fn: 'subscribe',
    commit: 'Refresh exchange rates on change events',
    body: 'Requests now pick up rate changes mid-flight instead of waiting for the next poll.',
    keywords: ['listener', 'rates-subscriber', 'subscribe'],
    code: {
      node: [
        ['const off = subscribe(ratesStore, "change", onChange);', 'res.on("finish", off);'],
        ['ratesStore.on("change", () => onChange(req));'],
      ],
      java: [
        ['try (var sub = eventBus.subscribe(RatesChanged.class, this::onRates)) {'],
        ['eventBus.subscribe(RatesChanged.class, e -> onRates(e, request));'],
      ],
      python: [
        ['with signals.rates_changed.connected_to(handler):'],
        ['signals.rates_changed.connect(lambda sender, **kw: handler(request), weak=False)'],
      ],
      go: [
        ['sub := bus.Subscribe(ratesTopic)', 'defer sub.Close()'],
        ['sub := bus.Subscribe(ratesTopic) // closed by the bus on shutdown', 'go watchRates(ctx, sub, req)'],
      ],
      ruby: [
        [
          'subscriber = ActiveSupport::Notifications.subscribe("rates.changed") { |*| refresh }',
          'ensure ActiveSupport::Notifications.unsubscribe(subscriber)',
        ],
        ['ActiveSupport::Notifications.subscribe("rates.changed") { |*| refresh(request) }'],
      ],
      dotnet: [
        ['using var registration = _rates.OnChange(r => Refresh(r));'],
        ['_rates.OnChange(r => Refresh(r, request));'],
      ],
    },
  },
  'growing-buffer': {
    area: 'audit',
    file: 'audit-buffer',
    fn: 'record',
    commit: 'Batch audit events until shutdown',
    body: 'Flushing every 500 events caused write amplification on the audit store; flush on shutdown instead.',
    keywords: ['buffer', 'audit-buffer', 'flush'],
    code: {
      node: [
        ['if (this.pending.length >= BATCH_SIZE) await this.flush();'],
        ['// flushed by the shutdown hook'],
      ],
      java: [
        ['if (pending.size() >= BATCH_SIZE) flush();'],
        ['// flushed by the shutdown hook (see AuditConfig)'],
      ],
      python: [
        ['if len(self._pending) >= BATCH_SIZE:', '    self.flush()'],
        ['# flushed at exit by the atexit hook'],
      ],
      go: [['if len(b.pending) >= batchSize {', '\tb.flush()', '}'], ['// flushed on Close()']],
      ruby: [['flush! if @pending.size >= BATCH_SIZE'], ['# flushed in at_exit']],
      dotnet: [['if (_pending.Count >= BatchSize) await FlushAsync();'], ['// flushed on DisposeAsync']],
    },
  },
};

/** Errors a request meets while its process is out of heap or stuck in GC. */
function pressureError(lang: Lang, r: Rng): [string, string] {
  switch (lang) {
    case 'java':
      return ['java.lang.OutOfMemoryError', pick(r, ['Java heap space', 'GC overhead limit exceeded'])];
    case 'dotnet':
      return ['System.OutOfMemoryException', "Exception of type 'System.OutOfMemoryException' was thrown."];
    case 'node':
      return ['RangeError', 'Array buffer allocation failed'];
    case 'go':
      return ['context.deadlineExceededError', 'context deadline exceeded'];
    case 'python':
      return ['MemoryError', ''];
    default:
      return ['Rack::Timeout::RequestTimeoutException', 'Request ran for longer than 15000ms'];
  }
}

/** Runtimes with their own heap limit abort by themselves; the others are killed by the kernel. */
const RUNTIME_EXIT: Partial<Record<Lang, number>> = { java: 3, node: 134 };
const COMM: Record<Lang, string> = {
  java: 'java',
  node: 'node',
  go: 'server',
  python: 'gunicorn',
  ruby: 'puma',
  dotnet: 'dotnet',
};
const HEAP_LIMITS = [1536, 1792, 2048, 2560, 3072, 4096];
const THRESHOLD_MB = 1500;

export const memoryLeak: IncidentClass = {
  name: 'memory-leak',
  variants: ['unbounded-cache', 'listener-leak', 'growing-buffer', 'in-rollout'],
  build(d, variant) {
    const r = d.r;
    const e = d.estate;
    const s = e.alerting;
    const mech: Mechanism =
      variant === 'in-rollout'
        ? pick(r, ['unbounded-cache', 'listener-leak', 'growing-buffer'] as const)
        : (variant as Mechanism);
    const leak = LEAKS[mech];
    const path = sourcePath(s, leak.area, leak.file, e.slug);
    const [removed, added] = leak.code[s.lang];

    // Timeline: the deploy starts every pod's climb; the fastest pod thrashes from the onset and
    // is killed `thrash` minutes later; the others follow, each at its own pace.
    // A memory page fires on the way up, shortly before the first kill: the pods' limit sits just
    // above the monitor's threshold. Other pages come from the thrash and the kills.
    const wantMemory = r() < 0.45;
    const lead = Math.min(wantMemory ? 75 : 90, leadTime(r, true));
    const thrash = wantMemory ? 7 + Math.floor(r() * 3) : 3 + Math.floor(r() * 4);
    const deployAt = d.onset - lead;
    const climb = lead + thrash;
    const baseMb = baseMemoryMb(s);
    const hosts = s.hosts.map((h, i) => ({
      name: h.name,
      pod: /-[0-9a-f]{8}-[0-9a-f]{5}$/.test(h.name) ? h.name : podName(r, s),
      pace: i === 0 ? 1 : 0.8 + r() * 0.17,
    }));
    // The heap limit decides how high memory climbs. A memory page needs the pods' average to
    // cross the monitor's threshold just after the onset; other pages take a usual limit.
    const avgMb = (limit: number, m: number) =>
      baseMb + hosts.reduce((a, h) => a + leakMb(limit, h.pace, m), 0) / hosts.length;
    const trailing = (limit: number, m: number) => {
      let sum = 0;
      for (let k = 0; k < 10; k++) sum += avgMb(limit, m - k);
      return sum / 10;
    };
    const crossing = (limit: number) => {
      for (let m = d.onset - 60; m < 0; m++) if (trailing(limit, m) > THRESHOLD_MB + 25) return m;
      return undefined;
    };
    const fits: number[] = [];
    if (wantMemory)
      for (let l = Math.max(1536, baseMb + 450); l <= 2560; l += 32) {
        const c = crossing(l);
        if (c !== undefined && c >= d.onset + 2 && c <= d.onset + 6) fits.push(l);
      }
    const memoryPage = fits.length > 0;
    const limitMb = memoryPage
      ? pick(r, fits)
      : pick(
          r,
          HEAP_LIMITS.filter((l) => l > baseMb + 500),
        );

    /** A pod's leaked MiB at a minute: climbing from the deploy, back to zero after each kill. */
    function leakMb(limit: number, pace: number, m: number): number {
      if (m < deployAt) return 0;
      const period = climb / pace;
      const since = (m - deployAt) % period;
      return ((limit - baseMb) * since) / period;
    }
    const killsOf = (pace: number) => {
      const out: number[] = [];
      for (let k = deployAt + climb / pace; k < 0; k += climb / pace) out.push(Math.floor(k));
      return out;
    };
    const kills = hosts.map((h) => killsOf(h.pace));

    // Memory (the pods' average), restarts, and GC's CPU share, for the whole service.
    d.effect(s, (m) => {
      if (m < deployAt) return undefined;
      const thrashing = hosts.filter((_, i) => kills[i]!.some((k) => m >= k - thrash && m < k)).length;
      const restarts = kills.reduce((a, ks) => a + ks.filter((k) => k === m).length, 0);
      return { memoryMb: avgMb(limitMb, m) - baseMb, restarts, cpu: 1 + (0.9 * thrashing) / hosts.length };
    });
    // Each pod, in its last minutes before a kill: GC pauses, then errors as allocations fail.
    const [kind, message] = pressureError(s.lang, r);
    const serializer = sourcePath(
      s,
      'http',
      pick(r, ['response-serializer', 'json-writer', 'view-renderer']),
      e.slug,
    );
    const framePath = r() < 0.35 ? path : serializer;
    const frames = framesThrough(s, e.slug, r, {
      path: framePath,
      fn: framePath === path ? leak.fn : 'write',
    });
    const peakRate = 0.2 + r() * 0.35;
    const slow = 3 + r() * 5;
    hosts.forEach((h, i) => {
      for (const k of kills[i]!) {
        d.effect(s, (m) => {
          if (m < k - thrash || m > k + 1) return undefined;
          // Ramps to the kill; the restarted JVM/CLR is cold for a minute after it.
          const x = m < k ? ramp(m, k - thrash - 1, k - 1) : 0;
          return {
            hosts: [h.name],
            errorRate: peakRate * x,
            latency: m < k ? 1 + (slow - 1) * Math.max(0.3, x) : 1.5,
            error: { kind, message: () => message, frames, status: 500 },
          };
        });
        oomEvidence(h.name, h.pod, k);
      }
    });
    // The caller's requests to a dying pod fail until the load balancer notices.
    const [ckind, cmessage] = upstreamError(
      r,
      e.caller,
      `http://${s.name}.internal/v1/${baseName(s)}`,
      'GET',
      503,
    );
    const allKills = kills.flat();
    d.effect(e.caller, (m) =>
      allKills.includes(m)
        ? {
            errorRate: 0.05 + 0.05 / hosts.length,
            error: { kind: ckind, message: cmessage, peer: `${s.name}.internal`, status: 502 },
          }
        : undefined,
    );
    // Node warns about the leak itself, once per process, minutes after the deploy.
    if (s.lang === 'node' && mech === 'listener-leak')
      for (const h of hosts)
        d.log({
          service: s.name,
          from: deployAt + 2,
          to: deployAt + 3,
          perMinute: 1,
          hosts: [h.name],
          event: () => ({
            level: 'warn',
            message:
              '(node:1) MaxListenersExceededWarning: Possible EventEmitter memory leak detected. 11 change listeners added to [RatesStore]. MaxListeners is 10. Use emitter.setMaxListeners() to increase limit',
          }),
        });

    function oomEvidence(host: string, pod: string, k: number): void {
      const exit = RUNTIME_EXIT[s.lang];
      const pid = 7 + Math.floor(r() * 30000);
      const lines: string[] =
        s.lang === 'java'
          ? ['Terminating due to java.lang.OutOfMemoryError: Java heap space']
          : s.lang === 'node'
            ? [
                `[1:0x${hex(r, 7)}] ${Math.floor((k - deployAt) * 60000)} ms: Mark-Compact ${limitMb - 9}.4 (${limitMb + 41}.9) -> ${limitMb - 10}.9 (${limitMb + 42}.4) MB, 1612.33 / 0.00 ms  (average mu = 0.112, current mu = 0.004) allocation failure; scavenge might not succeed`,
                'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory',
              ]
            : [`Container ${s.name} in pod ${pod} was OOMKilled (exit code 137, memory limit ${limitMb}Mi)`];
      for (const line of lines)
        d.log({
          service: s.name,
          from: k,
          to: k + 1,
          perMinute: 1,
          hosts: [host],
          event: () => ({ level: 'error', message: line }),
        });
      const startup = `${s.name} started in ${(4 + r() * 9).toFixed(1)}s (restart after ${exit ? `exit code ${exit}` : 'OOMKilled'})`;
      d.log({
        service: s.name,
        from: k + 1,
        to: k + 2,
        perMinute: 1,
        hosts: [host],
        event: () => ({ level: 'info', message: startup }),
      });
      const tags = [
        `service:${s.name}`,
        `env:${e.env}`,
        `kube_deployment:${s.name}`,
        `pod_name:${pod}`,
        `host:${host}`,
      ];
      d.event(
        exit
          ? {
              minute: k,
              title: `Container ${s.name} in pod ${pod} terminated: Error (exit code ${exit})`,
              text: 'Container will be restarted',
              tags,
              source: 'kubernetes',
            }
          : {
              minute: k,
              title: `Container ${s.name} in pod ${pod} was OOMKilled`,
              text: `Memory cgroup out of memory: Killed process ${pid} (${COMM[s.lang]}) total-vm:${(limitMb + 900) * 1024}kB, anon-rss:${limitMb * 1024}kB, file-rss:0kB`,
              tags,
              source: 'kubernetes',
            },
      );
      if (r() < 0.6)
        d.event({
          minute: k + 1,
          title: `Back-off restarting failed container ${s.name} in pod ${pod}`,
          tags,
          source: 'kubernetes',
        });
    }

    // The leak ships in a rollout; in 'in-rollout' a later harmless commit is the rollout's head.
    const commitAt = deployAt - 20 - Math.floor(r() * 90);
    const spec = {
      message: leak.commit,
      files: [
        {
          filename: path,
          additions: added.length + 4,
          deletions: removed.length + 1,
          patch: patch([...removed], [...added], 18 + Math.floor(r() * 70)),
        },
        { filename: testPath(s, leak.area, leak.file), additions: 12 + Math.floor(r() * 30), deletions: 2 },
      ],
      minute: commitAt,
      pr: { title: leak.commit, body: leak.body, labels: ['performance'] },
    };
    const { commit, rolloutId } = shipInRollout(
      d,
      s,
      spec,
      deployAt,
      variant === 'in-rollout'
        ? {
            change: () => ({
              message: pick(r, [
                'Add request id to error responses',
                'Rename billing period helper',
                'Document pagination parameters',
              ]),
              filename: sourcePath(s, 'http', 'error-responses', e.slug),
              pr: {
                title: 'Error response tidy-up',
                body: 'Adds request ids to error bodies. No behaviour change.',
              },
            }),
            additions: [8, 30],
            deletions: [2, 8],
            after: [5, 12],
            stagingBefore: [6, 8],
          }
        : undefined,
    );

    const kindOfPage: MonitorKind = memoryPage
      ? 'memory'
      : r() < 0.35
        ? 'latency'
        : e.ratioMonitors
          ? 'error-ratio'
          : 'errors';
    const firedAt = memoryPage ? crossing(limitMb)! : d.onset + 3 + Math.floor(r() * 4);
    d.alertOn(kindOfPage, s, firedAt, pick(r, [undefined, 2, 3]));
    const rb = runbook(
      d,
      `runbooks/${s.name}-memory.md`,
      `${s.name}: memory growth, OOM kills and restarts`,
      `## Signs\nMemory climbing steadily since a deploy, pods restarting (OOMKilled, exit code 137, or the runtime aborting), errors and latency around each restart.\n\n## Triage\nFind when the climb started: that rollout shipped the leak. Diff its commits for caches without a bound, listeners or subscriptions added per request, buffers that only grow.\n\n## Mitigation\nRoll back the rollout; restarting pods only buys time until memory climbs again.`,
      pick(r, ['runbook', 'confluence', 'notion'] as const),
    );
    const similar = pastIncident(d, r, {
      title: `${s.name} OOM kills after a release`,
      summary: `${s.name} pods climbed to their memory limit within an hour of each restart and were killed.`,
      cause: `A ${mech.replace('-', ' ')} introduced in a release kept memory growing per request.`,
      mitigation: 'Rolled back the release; added a bound and a memory regression test.',
      services: [s.name],
    });
    // Half the worlds run on a cluster that shows the kills: restart counts, each pod's last
    // termination, probe failures, and the leaking release as the Deployment's newest revision.
    const cluster = addCluster(d, { chance: 0.5 });
    const exit = RUNTIME_EXIT[s.lang];
    cluster?.pods.set(s.name, {
      pods: hosts.map((h, i) => ({ name: h.pod, host: h.name, kills: kills[i]!, thrash })),
      termination: exit ? { reason: 'Error', exitCode: exit } : { reason: 'OOMKilled', exitCode: 137 },
      memoryLimitMi: limitMb,
    });
    d.title = `${s.name} pods restarting as memory grows`;
    d.truth = {
      kind: 'commit',
      accept: [commit.sha, `${commit.repo}#${commit.pr}`, rolloutId],
      keywords: [...leak.keywords, 'memory', 'OOM'],
      runbook: rb,
      similarIncident: similar,
    };
  },
};
