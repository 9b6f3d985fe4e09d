import { hex, pick, type Rng } from '../lib';

/**
 * The company a generated world belongs to: its services, their stacks, naming and tooling.
 * Everything here is drawn from a seed so that no rule of the investigator can rely on one
 * naming (one APM prefix, one env name, one deploy tool, one log format).
 */
export type Lang = 'node' | 'ruby' | 'java' | 'python' | 'go' | 'dotnet';
export type LogFormat = 'plain' | 'json' | 'lograge';
export type DeployTool = 'github' | 'argocd' | 'spinnaker' | 'kubernetes';
export type AlertForm =
  | 'webhook-default'
  | 'webhook-custom'
  | 'slack-bracket'
  | 'slack-colon'
  | 'slack-blocks';

export type Service = {
  name: string;
  role: 'api' | 'worker' | 'edge' | 'datastore';
  lang: Lang;
  /** The APM integration's span name, giving metric names `trace.<apm>.request.*`. */
  apm: string;
  /** owner/repo and the folder inside it (monorepos keep one folder per service). */
  repo: string | null;
  dir: string;
  /**
   * A second repository of the service: its deploy configuration (Helm values, environment
   * variables), applied by its own rollouts. The catalog lists both.
   */
  deployRepo: string | null;
  team: string;
  dependsOn: string[];
  hosts: { name: string; zone: string }[];
  logFormat: LogFormat;
  /** Requests per minute per host, baseline errors as a fraction, p95 in ms. */
  rpmPerHost: number;
  errorRate: number;
  p95Ms: number;
  version: string;
};

export type ThirdParty = { name: string; host: string; statusPage: string; what: string };

export type Estate = {
  company: string;
  slug: string;
  domain: string;
  env: string;
  /** The other environment deploys go to first. */
  stagingEnv: string;
  site: string;
  deployTool: DeployTool;
  /** Staging deploys precede production ones for the same sha. */
  stagesFirst: boolean;
  monorepo: boolean;
  catalogHasDependsOn: boolean;
  alertForm: AlertForm;
  /** Monitors count errors alone, or as a ratio of errors to hits. */
  ratioMonitors: boolean;
  alerting: Service;
  /** Internal services the alerting service calls. */
  deps: Service[];
  database: Service;
  /** A service that calls the alerting one (it fails as the failure spreads). */
  caller: Service;
  /** A service with no path to the alerting one (deploys of it are distractors). */
  bystander: Service;
  thirdParty: ThirdParty;
  people: string[];
};

const COMPANIES = [
  ['Northwind', 'northwind', 'northwind.io'],
  ['Globex', 'globex', 'globex.com'],
  ['Initech', 'initech', 'initech.dev'],
  ['Umbrella Retail', 'umbrella', 'umbrella-retail.com'],
  ['Hooli', 'hooli', 'hooli.xyz'],
  ['Vandelay', 'vandelay', 'vandelay.co'],
  ['Pied Piper', 'piedpiper', 'piedpiper.net'],
  ['Stark Freight', 'starkfreight', 'starkfreight.com'],
  ['Wayne Payments', 'waynepay', 'waynepay.io'],
  ['Soylent Health', 'soylent', 'soylent.health'],
] as const;

const DOMAINS: Record<string, string[]> = {
  commerce: [
    'checkout',
    'cart',
    'orders',
    'inventory',
    'pricing',
    'catalog',
    'shipping',
    'promotions',
    'reviews',
  ],
  fintech: ['ledger', 'transfers', 'accounts', 'kyc', 'risk', 'statements', 'cards', 'fx-rates', 'payouts'],
  logistics: ['dispatch', 'routing', 'tracking', 'fleet', 'quotes', 'warehouse', 'manifests', 'carriers'],
  saas: ['auth', 'billing', 'workspaces', 'documents', 'webhooks', 'audit', 'exports', 'sharing', 'invites'],
  media: [
    'playback',
    'uploads',
    'transcoder',
    'subscriptions',
    'recommendations',
    'entitlements',
    'thumbnails',
  ],
  health: ['appointments', 'patients', 'prescriptions', 'claims', 'eligibility', 'scheduling', 'messaging'],
};
const SUFFIXES = ['', '', '-api', '-svc', '-service'];
const DB_FORMS = ['{x}-db', '{x}-postgres', 'mysql-{x}', '{x}-pg', 'aurora-{x}'];
const EDGES = ['api-gateway', 'web-bff', 'storefront', 'edge-proxy', 'mobile-bff', 'public-api'];

/** APM integrations by language (the span name DataDog's tracer uses for inbound requests). */
const APM_BY_LANG: Record<Lang, string[]> = {
  node: ['express', 'http', 'koa', 'fastify'],
  ruby: ['rack', 'rails'],
  java: ['servlet', 'spring.handler', 'netty'],
  python: ['flask', 'django', 'aiohttp'],
  go: ['http', 'grpc.server'],
  dotnet: ['aspnet_core'],
};
const THIRD_PARTIES: ThirdParty[] = [
  { name: 'Stripe', host: 'api.stripe.com', statusPage: 'status.stripe.com', what: 'card payments' },
  { name: 'Twilio', host: 'api.twilio.com', statusPage: 'status.twilio.com', what: 'SMS delivery' },
  { name: 'SendGrid', host: 'api.sendgrid.com', statusPage: 'status.sendgrid.com', what: 'e-mail delivery' },
  { name: 'Adyen', host: 'checkout-live.adyen.com', statusPage: 'status.adyen.com', what: 'payments' },
  { name: 'Auth0', host: 'login.auth0.com', statusPage: 'status.auth0.com', what: 'identity' },
  { name: 'Algolia', host: 'dsn.algolia.net', statusPage: 'status.algolia.com', what: 'search' },
  { name: 'Plaid', host: 'production.plaid.com', statusPage: 'status.plaid.com', what: 'bank linking' },
  { name: 'Shippo', host: 'api.goshippo.com', statusPage: 'status.goshippo.com', what: 'shipping labels' },
];
const ENVS: [string, string][] = [
  ['prod', 'staging'],
  ['production', 'staging'],
  ['prd', 'stg'],
];
const SITES = [
  'datadoghq.com',
  'us3.datadoghq.com',
  'us5.datadoghq.com',
  'datadoghq.eu',
  'ap1.datadoghq.com',
];
const PEOPLE = [
  'amara',
  'bjorn',
  'chen.wei',
  'dmitri',
  'esther',
  'farah',
  'gustavo',
  'hana',
  'ines',
  'jonas',
  'kemal',
  'lucia',
  'mateo',
  'nadia',
  'oskar',
  'priya',
  'quentin',
  'rosa',
  'sven',
  'tomoko',
];
const ZONES = ['us-east-1a', 'us-east-1b', 'us-east-1c', 'eu-west-1a', 'eu-west-1b'];

/** Share of one-repo-per-service estates whose services also have a deploy-config repository. */
const DEPLOY_REPO_CHANCE = 0.35;

export function drawEstate(r: Rng): Estate {
  const [company, slug, domain] = pick(r, COMPANIES);
  const names = shuffle(r, [...pick(r, Object.values(DOMAINS))]);
  const suffix = pick(r, SUFFIXES);
  const [env, stagingEnv] = pick(r, ENVS);
  const monorepo = r() < 0.3;
  // One region per estate, drawn once: its zones in a seeded order.
  const region = r() < 0.5 ? 'us' : 'eu';
  const zones = shuffle(
    r,
    ZONES.filter((z) => z.startsWith(region)),
  );
  const people = shuffle(r, [...PEOPLE]).slice(0, 8);
  const teams = shuffle(r, ['core', 'platform', 'growth', 'money', 'fulfilment', 'identity', 'data']);
  const service = (name: string, role: Service['role'], team: string): Service => {
    const lang = pick(r, Object.keys(APM_BY_LANG) as Lang[]);
    const hostCount = role === 'datastore' ? 1 : 2 + Math.floor(r() * 3);
    const hostStyle = Math.floor(r() * 3);
    return {
      name,
      role,
      lang,
      apm: pick(r, APM_BY_LANG[lang]),
      repo: role === 'datastore' ? null : monorepo ? `${slug}/platform` : `${slug}/${name}`,
      dir: monorepo && role !== 'datastore' ? `services/${name}/` : '',
      deployRepo: null,
      team,
      dependsOn: [],
      hosts: Array.from({ length: hostCount }, (_, i) => ({
        name:
          hostStyle === 0
            ? `${name}-${hex(r, 8)}-${hex(r, 5)}`
            : hostStyle === 1
              ? `ip-10-${Math.floor(r() * 250)}-${Math.floor(r() * 250)}-${Math.floor(r() * 250)}.ec2.internal`
              : `${name}-${i + 1}.${zones[i % zones.length]}.${slug}.internal`,
        zone: zones[i % zones.length]!,
      })),
      logFormat: lang === 'ruby' && r() < 0.6 ? 'lograge' : r() < 0.55 ? 'json' : 'plain',
      rpmPerHost: Math.round(80 + r() * 500),
      errorRate: 0.001 + r() * 0.004,
      p95Ms: Math.round(40 + r() * 260),
      version: `${1 + Math.floor(r() * 4)}.${Math.floor(r() * 40)}.${Math.floor(r() * 12)}`,
    };
  };
  const named = (i: number) => `${names[i]}${suffix}`;
  const alerting = service(named(0), 'api', teams[0]!);
  const deps = [
    service(named(1), 'api', teams[1]!),
    service(named(2), r() < 0.5 ? 'worker' : 'api', teams[2]!),
  ];
  const database = service(pick(r, DB_FORMS).replace('{x}', names[0]!), 'datastore', 'data');
  const caller = service(pick(r, EDGES), 'edge', teams[3]!);
  const bystander = service(named(3), 'api', teams[4]!);
  alerting.dependsOn = [deps[0]!.name, deps[1]!.name, database.name];
  deps[1]!.dependsOn = [database.name];
  caller.dependsOn = [alerting.name];
  // Some estates keep each service's deploy configuration in a repository of its own.
  if (!monorepo && r() < DEPLOY_REPO_CHANCE)
    for (const x of [alerting, ...deps, caller, bystander]) x.deployRepo = `${slug}/${x.name}-deploy`;
  return {
    company,
    slug,
    domain,
    env,
    stagingEnv,
    site: pick(r, SITES),
    deployTool: pick(r, ['github', 'github', 'argocd', 'spinnaker', 'kubernetes'] as const),
    stagesFirst: r() < 0.6,
    monorepo,
    catalogHasDependsOn: r() < 0.65,
    alertForm: pick(r, [
      'webhook-default',
      'webhook-custom',
      'slack-bracket',
      'slack-colon',
      'slack-blocks',
    ] as const),
    ratioMonitors: r() < 0.4,
    alerting,
    deps,
    database,
    caller,
    bystander,
    thirdParty: pick(r, THIRD_PARTIES),
    people,
  };
}

/** The region an availability zone is in: us-east-1b -> us-east-1. */
export function regionOf(zone: string): string {
  return zone.replace(/[a-z]$/, '');
}

/** Every service of the estate, the alerting one first. */
export function servicesOf(e: Estate): Service[] {
  return [e.alerting, ...e.deps, e.database, e.caller, e.bystander];
}

/** The DataDog UI host for the estate's site (app.datadoghq.com for US1, the site itself elsewhere). */
export function uiHost(site: string): string {
  return site === 'datadoghq.com' ? 'app.datadoghq.com' : site === 'datadoghq.eu' ? 'app.datadoghq.eu' : site;
}

export function shuffle<T>(r: Rng, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
