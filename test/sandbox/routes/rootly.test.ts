import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../sandbox/server';
import { missingPaths, shapeDrift, vendorFixture } from '../../fixtures/real/wire-shape';
import { demoSandbox } from '../../tools/helpers';

/** The sandbox's Rootly routes answer in the shape of Rootly's published examples. */
describe('sandbox Rootly routes against the published shape', () => {
  let sandbox: Sandbox;
  beforeEach(async () => {
    sandbox = await demoSandbox();
  });
  afterEach(() => sandbox.close());
  const get = async (path: string) =>
    (await fetch(`${sandbox.url}${path}`, { headers: { authorization: 'Bearer t' } })).json();

  it('GET /v1/incidents serves only keys and types the published list response has', async () => {
    const body = await get('/v1/incidents?page[size]=5');
    expect(shapeDrift(body, vendorFixture('rootly', 'incidents-list').response)).toEqual([]);
    expect(
      missingPaths(body, [
        '$.data[].attributes.services[].data.attributes.slug',
        '$.data[].attributes.severity.data.attributes.slug',
        '$.meta.next_page',
      ]),
    ).toEqual([]);
  });

  it('with include=services,severity it adds relationships and the included records', async () => {
    const body = await get('/v1/incidents?include=services,severity');
    const published = ['incidents-list', 'incidents-list-included'].map(
      (n) => vendorFixture('rootly', n).response,
    );
    expect(shapeDrift(body, ...published)).toEqual([]);
    expect(
      missingPaths(body, ['$.data[].relationships.services.data[].id', '$.included[].attributes.slug']),
    ).toEqual([]);
  });

  it('GET /v1/incidents/:id serves one incident in the same shape', async () => {
    const list = (await get('/v1/incidents')) as { data: { id: string }[] };
    const one = (await get(`/v1/incidents/${list.data[0]!.id}`)) as { data: unknown };
    const published = vendorFixture('rootly', 'incidents-list').response as { data: unknown[] };
    expect(shapeDrift(one.data, ...published.data)).toEqual([]);
  });
});
