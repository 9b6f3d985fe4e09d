import { describe, expect, it } from 'vitest';
import {
  type AuditEntryDetail,
  type AuditListEntry,
  type FlagVersion,
  flagOf,
  parseFlagResource,
  servedValue,
  serviceFromKey,
  serviceFromTags,
  valueChange,
} from '../../../tools/flags/audit-entry';
import { vendorFixture } from '../../fixtures/real/wire-shape';

describe('LaunchDarkly audit-log entries as published', () => {
  it('a list entry names its flag only in target.resources: the key, never the display name', () => {
    const f = vendorFixture<unknown[]>('launchdarkly', 'auditlog-list');
    const items = (f.response as { items: AuditListEntry[] }).items;
    expect(items.map((e) => flagOf(e) ?? null)).toEqual(f.expect);
    expect(items.every((e) => !('delta' in e) && !('tags' in e))).toBe(true);
  });

  it('the detail of a flag turned on: served value before and after from the versions, service from tags', () => {
    const f = vendorFixture<Record<string, unknown>>('launchdarkly', 'auditlog-entry-turned-on');
    const d = f.response as AuditEntryDetail;
    const flag = flagOf(d)!;
    expect({ key: flag.key, ...valueChange(d, flag.environment) }).toMatchObject({
      key: f.expect!.key,
      from: f.expect!.from,
      to: f.expect!.to,
    });
    expect(serviceFromTags(d.currentVersion?.tags)).toBe(f.expect!.service);
  });

  it('a detail with only a JSON patch: the new value at its path, the old one unknown', () => {
    const f = vendorFixture<Record<string, unknown>>('launchdarkly', 'auditlog-entry-patch-only');
    const d = f.response as AuditEntryDetail;
    expect(valueChange(d, flagOf(d)!.environment)).toEqual({
      from: undefined,
      to: f.expect!.to,
      what: f.expect!.what,
    });
  });

  it('a flag (GET flag): its service from a `service/x` tag and the value it serves', () => {
    const f = vendorFixture<{ service: string; served: string }>('launchdarkly', 'feature-flag');
    const flag = f.response as FlagVersion;
    expect(serviceFromTags(flag.tags)).toBe(f.expect!.service);
    expect(servedValue(flag, 'production')).toBe(f.expect!.served);
    expect(servedValue(flag, 'staging')).toBeUndefined();
  });

  it('a percentage rollout is described, not dropped', () => {
    const v: FlagVersion = {
      variations: [{ value: 'a' }, { value: 'b' }],
      environments: {
        production: {
          on: true,
          fallthrough: {
            rollout: {
              variations: [
                { variation: 0, weight: 90_000 },
                { variation: 1, weight: 10_000 },
              ],
            },
          },
        },
      },
    };
    expect(servedValue(v, 'production')).toBe('rollout "a" 90%, "b" 10%');
  });

  it('a description stating `from` and `to` is the last resort; with nothing known both stay undefined', () => {
    const base = { _id: 'x', date: 0 };
    expect(valueChange({ ...base, description: 'Changed from `false` to `true`' }, 'production')).toEqual({
      from: false,
      to: true,
    });
    expect(valueChange(base, 'production')).toEqual({ from: undefined, to: undefined });
  });

  it('resource specifiers: tags suffixes are ignored, wildcards and non-flags name no flag', () => {
    expect(parseFlagResource('proj/web:env/prod:flag/a-b;tag1,tag2')).toEqual({
      project: 'web',
      environment: 'prod',
      key: 'a-b',
    });
    expect(parseFlagResource('proj/*:env/*:flag/*')).toBeUndefined();
    expect(parseFlagResource('proj/web:env/prod:segment/beta')).toBeUndefined();
  });

  it('the catalog names a service when the flag key contains it as whole words, the longest first', () => {
    const services = ['search', 'search-api', 'web'];
    expect(serviceFromKey('search-api-new-ranker', services)).toBe('search-api');
    expect(serviceFromKey('search.semantic_reranker', services)).toBe('search');
    expect(serviceFromKey('research-mode', services)).toBeUndefined();
  });
});
