import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../sandbox/server';
import { executeTool } from '../../../tools/execute';
import { type IncidentsDocument, parseIncidentList } from '../../../tools/rootly/incidents';
import { createRootlyTools, type PastIncident } from '../../../tools/rootly/index';
import { vendorFixture } from '../../fixtures/real/wire-shape';
import { contextFor, demoSandbox } from '../helpers';

describe('Rootly incidents as the OpenAPI spec nests them', () => {
  for (const name of ['incidents-list', 'incidents-list-included']) {
    it(`${name}: services and severity come from nested records or relationships + included`, () => {
      const f = vendorFixture<Partial<PastIncident>[]>('rootly', name);
      const incidents = parseIncidentList(f.response as IncidentsDocument);
      expect(incidents).toHaveLength(f.expect!.length);
      expect(incidents).toMatchObject(f.expect!);
    });
  }

  it('reads an older flat `{ name, slug }` service and a severity given as a string', () => {
    const [i] = parseIncidentList({
      data: [{ id: '1', attributes: { title: 't', severity: 'sev1', services: [{ name: 'Orders' }] } }],
    });
    expect(i).toMatchObject({ severity: 'sev1', services: ['Orders'] });
  });

  it('a relationship naming a record the document did not include is skipped, not invented', () => {
    const [i] = parseIncidentList({
      data: [
        {
          id: '1',
          attributes: { title: 't' },
          relationships: { services: { data: [{ id: 'gone', type: 'services' }] } },
        },
      ],
      included: [],
    });
    expect(i!.services).toEqual([]);
  });

  describe('the tool against the sandbox', () => {
    let sandbox: Sandbox;
    beforeEach(async () => {
      sandbox = await demoSandbox();
    });
    afterEach(() => sandbox.close());

    it("returns each incident's services and severity, which the sandbox serves nested", async () => {
      const tool = createRootlyTools({ token: 't', baseUrl: sandbox.url }, { retryBaseMs: 1 })[0]!;
      const obs = await executeTool(tool, { query: 'checkout 500 promo code' }, contextFor(sandbox));
      const incidents = (obs.data as { incidents: PastIncident[] }).incidents;
      expect(incidents[0]).toMatchObject({ severity: 'sev2', services: ['checkout'] });
      expect(obs.summary).toContain('checkout)');
    });
  });
});
