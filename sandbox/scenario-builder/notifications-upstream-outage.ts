import { type BundledWorld, doc, monitor, repo, sha, telemetry } from './kit';
import { at, rng, uuid } from './lib';

/** The email provider times out; nothing changed on our side (a template commit is a distractor). */
export function build(): BundledWorld {
  const r = rng(5150);
  const now = '2026-07-21T16:05:00Z';
  const onset = 318; // 15:23
  const after = (m: number) => m >= onset;
  const copySha = sha(r, '6d1f0a9');
  const web = sha(r, '88aa01b');
  const t = telemetry(
    r,
    now,
    [
      {
        name: 'notifications',
        rpm: 400,
        errors: 1,
        p95Ms: 220,
        cpuPct: 20,
        effect: (m) => (after(m) ? { errors: 40, latency: 8 } : {}),
      },
      {
        name: 'accounts',
        rpm: 700,
        errors: 1.5,
        p95Ms: 90,
        cpuPct: 28,
        effect: (m) => (after(m) ? { errors: 2 } : {}),
      },
    ],
    [
      {
        service: 'notifications',
        status: 'error',
        perMinute: 3.5,
        from: onset,
        message: (x) =>
          `SendEmailError: upstream api.sendgrid.com connect timeout after 5000ms (attempt ${Math.floor(x() * 3) + 1}/3) message_id=${uuid(x)}`,
      },
      {
        service: 'notifications',
        status: 'warn',
        perMinute: 1,
        from: onset,
        message: (x) =>
          `circuit breaker half-open for api.sendgrid.com, ${Math.floor(x() * 500) + 100} emails queued`,
      },
      {
        service: 'notifications',
        status: 'error',
        perMinute: 0.4,
        message: (x) => `invalid recipient address for user ${uuid(x)}: bounced`,
      },
      {
        service: 'accounts',
        status: 'error',
        perMinute: 0.6,
        from: onset,
        message: (x) => `password reset email not sent for user ${uuid(x)}: notifications returned 502`,
      },
    ],
    [
      {
        service: 'notifications',
        resource: 'POST /v1/send',
        perMinute: 1.5,
        durationMs: 200,
        slow: (m) => (after(m) ? 20 : 1),
        error: (m) =>
          after(m)
            ? { p: 0.7, type: 'SendEmailError', message: () => 'upstream api.sendgrid.com connect timeout' }
            : undefined,
      },
      { service: 'accounts', resource: 'POST /password-reset', perMinute: 0.5, durationMs: 80 },
    ],
  );
  return {
    id: 'notifications-upstream-outage',
    files: {
      'scenario.json': {
        id: 'notifications-upstream-outage',
        title: 'Email provider outage breaks notifications',
        now,
        alert: { text: 'notifications error rate is spiking, password reset emails are not arriving' },
        catalog: {
          services: {
            notifications: { repos: ['acme/notifications'], team: 'growth', dependsOn: ['sendgrid'] },
            accounts: { repos: ['acme/accounts'], team: 'identity', dependsOn: ['notifications'] },
            'web-frontend': { repos: ['acme/web-frontend'], team: 'web' },
          },
        },
      },
      'datadog/monitors.json': [
        monitor(
          61001,
          'Notifications error rate',
          'sum(last_5m):sum:trace.http.request.errors{service:notifications,env:prod}.as_count() > 60',
          'notifications',
        ),
      ],
      ...t,
      'datadog/events.json': [
        {
          timestamp: at(now, -62),
          title: 'Deployed notifications 6d1f0a9 to prod',
          text: 'Deployment 812: update welcome email copy',
          tags: ['service:notifications', 'env:prod', 'deployment'],
          source: 'github',
        },
        {
          timestamp: at(now, -40),
          title: 'Deployed web-frontend 88aa01b to prod',
          text: 'Deployment 813',
          tags: ['service:web-frontend', 'env:prod', 'deployment'],
          source: 'github',
        },
      ],
      'github/acme/notifications.json': repo(now, [
        {
          sha: copySha,
          message: 'Update welcome email template copy',
          author: 'mia',
          minutes: -75,
          files: [
            ['templates/welcome.html', 12, 9],
            ['templates/welcome.txt', 6, 4],
          ],
          pr: {
            number: 214,
            title: 'New welcome email copy',
            body: 'Marketing copy refresh for the welcome email template.',
          },
          deploy: { id: 812, minutes: -62 },
        },
      ]),
      'github/acme/web-frontend.json': repo(now, [
        {
          sha: web,
          message: 'Fix footer links',
          author: 'li',
          minutes: -50,
          files: [['src/Footer.tsx', 3, 3]],
          deploy: { id: 813, minutes: -40 },
        },
      ]),
      'github/acme/accounts.json': repo(now, []),
      'rootly/incidents.json': [
        {
          id: 'c3e4f5a6-3333-4c5d-8e6f-000000000214',
          title: 'Emails delayed: SendGrid API timeouts',
          summary: 'Transactional emails queued for 50 minutes while the email provider timed out.',
          severity: 'sev2',
          services: ['notifications'],
          startedAt: '2025-08-14T13:00:00Z',
          resolvedAt: '2025-08-14T13:50:00Z',
          cause: 'Upstream provider (SendGrid) outage; no change on our side.',
          mitigation: 'Failed over to the secondary provider (Mailgun) with the email-provider flag.',
          url: 'https://acme.rootly.com/incidents/c3e4f5a6',
        },
        {
          id: 'd4f5a6b7-4444-4d6e-9f70-000000000215',
          title: 'Welcome email broken template',
          summary: 'A template variable was missing.',
          severity: 'sev4',
          services: ['notifications'],
          startedAt: '2025-06-01T09:00:00Z',
          resolvedAt: '2025-06-01T09:30:00Z',
          cause: 'Bad template change.',
          mitigation: 'Reverted the template.',
          url: 'https://acme.rootly.com/incidents/d4f5a6b7',
        },
      ],
      'docs/runbooks/email-provider-failover.md': doc(
        'Email provider failover',
        'https://wiki.acme.dev/runbooks/email-failover',
        'runbook',
        `## When to fail over\nIf the email provider (SendGrid) times out or returns 5xx for more than 5 minutes, switch to the secondary provider.\n\n## How\nSet the email-provider setting to mailgun and watch the send queue drain. Check status.sendgrid.com.`,
      ),
      'docs/runbooks/notifications-templates.md': doc(
        'Editing notification templates',
        'https://wiki.acme.dev/runbooks/templates',
        'runbook',
        `Templates live in templates/. Preview them with the template CLI before merging.`,
      ),
      'slack/incidents.json': [
        {
          ts: '1755176400.000100',
          user: 'U0MIA',
          text: 'SendGrid is timing out again, failing over to mailgun per the runbook',
        },
      ],
      'truth.json': {
        kind: 'dependency',
        accept: ['api.sendgrid.com', 'sendgrid'],
        keywords: ['sendgrid', 'timeout'],
        runbook: 'runbooks/email-provider-failover.md',
        similarIncident: 'c3e4f5a6-3333-4c5d-8e6f-000000000214',
      },
    },
  };
}
