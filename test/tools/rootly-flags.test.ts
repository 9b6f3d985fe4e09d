import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../sandbox/server';
import { executeTool } from '../../tools/execute';
import { createFlagTools, type FlagChangeData } from '../../tools/flags/index';
import { createRootlyTools, type PastIncident } from '../../tools/rootly/index';
import { contextFor, demoSandbox } from './helpers';

describe('Rootly and LaunchDarkly tools against the sandbox', () => {
  let sandbox: Sandbox;
  beforeEach(async () => {
    sandbox = await demoSandbox();
  });
  afterEach(() => sandbox.close());
  const rootly = () => createRootlyTools({ token: 't', baseUrl: sandbox.url }, { retryBaseMs: 1 })[0]!;
  const flags = () => createFlagTools({ token: 't', baseUrl: sandbox.url }, { retryBaseMs: 1 })[0]!;

  it('finds similar past incidents with cause and mitigation over JSON:API', async () => {
    const obs = await executeTool(rootly(), { query: 'checkout 500 promo code' }, contextFor(sandbox));
    const incidents = (obs.data as { incidents: PastIncident[] }).incidents;
    expect(incidents[0]).toMatchObject({ id: '3f6d2a1c-7b0e-4c8f-9a11-5e2d7c0b9f31', severity: 'sev2' });
    expect(incidents[0]!.mitigation).toMatch(/Rolled back/);
    expect(sandbox.requests.at(-1)!.headers.authorization).toBe('Bearer t');
  });

  it('retries 429 then succeeds; reports 500s after retries and malformed JSON', async () => {
    sandbox.faults.add('/v1/incidents', { status: 429, retryAfter: 0, times: 1 });
    expect((await executeTool(rootly(), { query: 'checkout' }, contextFor(sandbox))).ok).toBe(true);
    sandbox.faults.add('/v1/incidents', { status: 500, times: 4 });
    expect((await executeTool(rootly(), { query: 'checkout' }, contextFor(sandbox))).error).toMatch(
      /Rootly returned HTTP 500 .* after retries/,
    );
    sandbox.faults.add('/v1/incidents', { malformed: true, times: 1 });
    expect((await executeTool(rootly(), { query: 'checkout' }, contextFor(sandbox))).error).toMatch(
      /not valid JSON/,
    );
  });

  it('Rootly: a wrong token, a wrong base URL and a hung server each end as a clear failure', async () => {
    const badToken = createRootlyTools({ token: '', baseUrl: sandbox.url }, { retryBaseMs: 1 })[0]!;
    expect((await executeTool(badToken, { query: 'checkout' }, contextFor(sandbox))).error).toMatch(
      /ROOTLY_API_TOKEN/,
    );
    const wrongUrl = createRootlyTools(
      { token: 't', baseUrl: `${sandbox.url}/nope` },
      { retryBaseMs: 1 },
    )[0]!;
    expect((await executeTool(wrongUrl, { query: 'checkout' }, contextFor(sandbox))).error).toMatch(
      /not found in Rootly/,
    );
    sandbox.faults.add('/v1/incidents', { latencyMs: 5_000, times: 1 });
    const slow = await executeTool(rootly(), { query: 'checkout' }, contextFor(sandbox), { timeoutMs: 50 });
    expect(slow.ok).toBe(false);
    expect(slow.error).toMatch(/rootly.incidents timed out after 50 ms/);
  });

  it('LaunchDarkly: retries 429 then succeeds; reports 500s after retries, malformed JSON and a wrong URL', async () => {
    sandbox.faults.add('/api/v2/auditlog', { status: 429, retryAfter: 0, times: 1 });
    expect((await executeTool(flags(), {}, contextFor(sandbox))).ok).toBe(true);
    sandbox.faults.add('/api/v2/auditlog', { status: 500, times: 4 });
    expect((await executeTool(flags(), {}, contextFor(sandbox))).error).toMatch(/HTTP 500 .* after retries/);
    sandbox.faults.add('/api/v2/auditlog', { malformed: true, times: 1 });
    expect((await executeTool(flags(), {}, contextFor(sandbox))).error).toMatch(/not valid JSON/);
    const wrongUrl = createFlagTools({ token: 't', baseUrl: `${sandbox.url}/nope` }, { retryBaseMs: 1 })[0]!;
    expect((await executeTool(wrongUrl, {}, contextFor(sandbox))).error).toMatch(/not found/);
  });

  it('lists flag changes from the audit log with from/to values', async () => {
    const obs = await executeTool(flags(), {}, contextFor(sandbox));
    expect((obs.data as { changes: FlagChangeData[] }).changes[0]).toMatchObject({
      key: 'new-recommendations-widget',
      from: false,
      to: true,
      service: 'web-frontend',
    });
  });
});
