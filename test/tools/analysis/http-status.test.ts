import { describe, expect, it } from 'vitest';
import { httpStatusCodes, isGatewayStatus } from '../../../tools/analysis/log-patterns';

// Lines shaped like nginx/Envoy access and error logs and HTTP client errors as services log them.
describe('Log patterns are stable: HTTP status codes are whole tokens in an HTTP context, never part of an id', () => {
  it.each([
    ['upstream returned 503 Service Unavailable', [503]],
    ['"GET /api/cart HTTP/1.1" 502 Bad Gateway', [502]],
    ['request failed: status=504 after retries', [504]],
    ['http.status_code: 500, route /api/checkout', [500]],
    ['504 Gateway Timeout from api.stripe.com', [504]],
    ['Request failed with status code 429', [429]],
    ['error 500, then status 503, then error 500 again', [500, 503]],
    ['503', [503]],
  ])('%s -> %j', (text, codes) => {
    expect(httpStatusCodes(text)).toEqual(codes);
  });

  it.each([
    'shard sh_5031ab unavailable',
    'order id-503-x failed',
    'order #503 failed',
    'connect 10.0.5.503 refused',
    'GET /api/items/503 not cached',
    'processed 503 items in batch',
    'took 502 ms',
    'build v503 rolled out',
  ])('finds no status in %s', (text) => {
    expect(httpStatusCodes(text)).toEqual([]);
  });

  it('knows the gateway codes', () => {
    expect([500, 502, 503, 504, 429].map(isGatewayStatus)).toEqual([false, true, true, true, false]);
    expect(httpStatusCodes(undefined as unknown as string)).toEqual([]);
  });
});
