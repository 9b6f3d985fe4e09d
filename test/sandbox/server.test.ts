import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { json } from '../../sandbox/http';
import { type Sandbox, startSandbox } from '../../sandbox/server';

function tinyWorld(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-'));
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'scenario.json'),
    JSON.stringify({
      id: 'tiny',
      title: 'Tiny',
      now: '2026-03-01T12:00:00Z',
      alert: { text: 'x' },
      catalog: { services: {} },
    }),
  );
  return dir;
}

describe('sandbox server', () => {
  let sandbox: Sandbox | undefined;
  afterEach(async () => {
    await sandbox?.close();
    sandbox = undefined;
  });

  const echoRoute = {
    method: 'POST',
    pattern: '/echo/:name',
    handler: (req: { params: Record<string, string>; body: unknown }) =>
      json({ name: req.params.name, body: req.body }),
  };

  it('listens on loopback, routes with params, parses JSON and form bodies, and records requests', async () => {
    sandbox = await startSandbox(tinyWorld(), [echoRoute]);
    expect(sandbox.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${sandbox.url}/echo/a%20b`, { method: 'POST', body: JSON.stringify({ x: 1 }) });
    expect(await res.json()).toEqual({ name: 'a b', body: { x: 1 } });
    const form = await fetch(`${sandbox.url}/echo/f`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'channel=C1&text=hi',
    });
    expect(await form.json()).toEqual({ name: 'f', body: { channel: 'C1', text: 'hi' } });
    expect(sandbox.requests.map((r) => [r.path, r.status])).toEqual([
      ['/echo/a%20b', 200],
      ['/echo/f', 200],
    ]);
  });

  it('answers 404 for unknown routes', async () => {
    sandbox = await startSandbox(tinyWorld());
    const res = await fetch(`${sandbox.url}/nope`);
    expect(res.status).toBe(404);
  });

  it('injects faults for a limited number of requests, then behaves normally', async () => {
    sandbox = await startSandbox(tinyWorld(), [echoRoute]);
    sandbox.faults.add('/echo', { status: 429, retryAfter: 2, times: 1 });
    const first = await fetch(`${sandbox.url}/echo/a`, { method: 'POST' });
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('2');
    const second = await fetch(`${sandbox.url}/echo/a`, { method: 'POST' });
    expect(second.status).toBe(200);
  });

  it('can serve a malformed body', async () => {
    sandbox = await startSandbox(tinyWorld(), [echoRoute]);
    sandbox.faults.add('/echo', { malformed: true, times: 1 });
    const res = await fetch(`${sandbox.url}/echo/abc`, { method: 'POST', body: '{"long":"enough body"}' });
    expect(res.status).toBe(200);
    await expect(res.clone().json()).rejects.toThrow();
  });

  it('can cut a 200 off mid-body, or answer with an HTML page instead of JSON', async () => {
    sandbox = await startSandbox(tinyWorld(), [echoRoute]);
    sandbox.faults.add('/echo', { truncated: true, times: 1 });
    const cut = await fetch(`${sandbox.url}/echo/abc`, { method: 'POST', body: '{"long":"enough body"}' });
    expect(cut.status).toBe(200);
    await expect(cut.text()).rejects.toThrow();
    sandbox.faults.add('/echo', { notJson: true, times: 1 });
    const page = await fetch(`${sandbox.url}/echo/abc`, { method: 'POST' });
    expect([page.status, page.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
    expect(await page.text()).toMatch(/^<!doctype html>/);
  });
});
