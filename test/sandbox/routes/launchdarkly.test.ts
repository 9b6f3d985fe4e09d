import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../sandbox/server';
import { missingPaths, shapeDrift, vendorFixture } from '../../fixtures/real/wire-shape';
import { demoSandbox } from '../../tools/helpers';

/** The sandbox's LaunchDarkly routes answer in the shape of LaunchDarkly's published examples. */
describe('sandbox LaunchDarkly routes against the published shape', () => {
  let sandbox: Sandbox;
  beforeEach(async () => {
    sandbox = await demoSandbox();
  });
  afterEach(() => sandbox.close());
  const get = async (path: string) =>
    (await fetch(`${sandbox.url}${path}`, { headers: { authorization: 'api-t' } })).json();

  it('GET /api/v2/auditlog: list entries with no delta and no tags, the key in target.resources', async () => {
    const body = (await get('/api/v2/auditlog?limit=20')) as { items: Record<string, unknown>[] };
    expect(body.items.length).toBeGreaterThan(0);
    expect(shapeDrift(body, vendorFixture('launchdarkly', 'auditlog-list').response)).toEqual([]);
    expect(missingPaths(body, ['$.items[].target.resources[]', '$.items[]._links.self.href'])).toEqual([]);
  });

  it('GET /api/v2/auditlog/:id: the detail adds the JSON patch and the versions', async () => {
    const list = (await get('/api/v2/auditlog')) as { items: { _id: string }[] };
    const detail = await get(`/api/v2/auditlog/${list.items[0]!._id}`);
    const published = ['auditlog-entry-turned-on', 'auditlog-entry-patch-only'].map(
      (n) => vendorFixture('launchdarkly', n).response,
    );
    expect(shapeDrift(detail, ...published)).toEqual([]);
    expect(
      missingPaths(detail, [
        '$.delta[].path',
        '$.previousVersion.environments.production.on',
        '$.currentVersion.tags[]',
      ]),
    ).toEqual([]);
  });

  it('GET /api/v2/flags/:project/:key serves the flag with its tags', async () => {
    const flag = await get('/api/v2/flags/default/new-recommendations-widget');
    // A variation's value is any JSON: the published boolean flag (an entry's version) counts too.
    const booleanFlag = (
      vendorFixture('launchdarkly', 'auditlog-entry-turned-on').response as { currentVersion: unknown }
    ).currentVersion;
    expect(shapeDrift(flag, vendorFixture('launchdarkly', 'feature-flag').response, booleanFlag)).toEqual([]);
    expect((flag as { tags: string[] }).tags).toEqual(['service:web-frontend']);
  });
});
