import { describe, expect, it } from 'vitest';
import { appUrl } from '../../../tools/datadog/client';

describe('DataDog UI links per site', () => {
  it.each([
    ['datadoghq.com', 'https://app.datadoghq.com'],
    ['app.datadoghq.com', 'https://app.datadoghq.com'],
    ['us3.datadoghq.com', 'https://us3.datadoghq.com'],
    ['us5.datadoghq.com', 'https://us5.datadoghq.com'],
    ['ap1.datadoghq.com', 'https://ap1.datadoghq.com'],
    ['datadoghq.eu', 'https://app.datadoghq.eu'],
    ['ddog-gov.com', 'https://app.ddog-gov.com'],
  ])('%s -> %s', (site, url) => {
    expect(appUrl({ site })).toBe(url);
  });
});
