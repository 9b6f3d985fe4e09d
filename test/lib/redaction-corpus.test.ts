import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runInvestigation } from '../../agent/controller';
import { sqliteSink } from '../../agent/persist';
import { silentLogger } from '../../app/logger';
import { openDatabase } from '../../data/db';
import { redactSecrets } from '../../lib/redact';
import { defineTool } from '../../tools/contract';
import { sampleAlert } from '../fixtures/investigation';

/** Secrets of every kind we promise to keep out of the LLM, the DB, logs and Slack. */
const SECRET_CORPUS: Record<string, string> = {
  'aws access key': 'AKIAIOSFODNN7EXAMPLE',
  'github pat': 'ghp_1234567890abcdefghijklmnopqrstuvwxyzAB',
  'github fine-grained': 'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRS',
  'slack bot token': 'xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx',
  'slack app token': 'xapp-1-A0123456789-1234567890123-abcdef0123456789',
  'openai key': 'sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789',
  jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
  'private key':
    '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA1234567890abcdef\n-----END RSA PRIVATE KEY-----',
  'password in url': 'https://deploy:s3cr3t-Passw0rd@registry.acme.dev/v2/',
  'postgres connection string': 'postgres://app:Hunter2Hunter2@db.internal:5432/orders',
  'password assignment': 'DB_PASSWORD=correct-horse-battery',
  'api key assignment': 'api_key: "a1b2c3d4e5f6g7h8i9j0"',
  'bearer token': 'Authorization: Bearer abcdefghijklmnopqrstuvwxyz012345',
};

const SECRET_PARTS = [
  'IOSFODNN7EXAMPLE',
  '1234567890abcdefghijklmnopqrstuvwxyzAB',
  'AbCdEfGhIjKlMnOpQrStUvWx',
  'abcdef0123456789',
  'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789',
  'dozjgNryP4J3jVmNHl0w5N',
  'MIIEpAIBAAKCAQEA',
  's3cr3t-Passw0rd',
  'Hunter2Hunter2',
  'correct-horse-battery',
  'a1b2c3d4e5f6g7h8i9j0',
  'abcdefghijklmnopqrstuvwxyz012345',
];

describe('the redaction corpus', () => {
  it.each(Object.entries(SECRET_CORPUS))('redacts a %s', (_kind, secret) => {
    const out = redactSecrets(`log line: ${secret} end`);
    for (const part of SECRET_PARTS) expect(out).not.toContain(part);
    expect(out).toContain('[REDACTED');
  });

  it('leaves ordinary identifiers alone (shas, UUIDs, hosts)', () => {
    const text =
      'commit 7c1e9a4fca1e8c891bf23250b571b2ecb2e147e2 order 3f6d2a1c-7b0e-4c8f-9a11-5e2d7c0b9f31 host api.stripe.com';
    expect(redactSecrets(text)).toBe(text);
  });

  it('keeps every secret out of the stored trace and the result', async () => {
    const db = openDatabase(':memory:');
    const leaky = defineTool({
      name: 'test.leak',
      integration: 'builtin',
      description: 'leaks',
      input: z.object({}),
      run: async () => ({
        ok: true,
        summary: Object.values(SECRET_CORPUS).join('\n'),
        data: { env: SECRET_CORPUS },
        citations: [],
        truncated: false,
      }),
    });
    let n = 0;
    const result = await runInvestigation({
      alert: sampleAlert(),
      planner: {
        kind: 'offline',
        next: async () =>
          n++ === 0
            ? { kind: 'act', thought: 'look', calls: [{ id: 'c', tool: 'test.leak', input: {} }] }
            : { kind: 'answer', thought: 'done' },
        synthesize: async (s) => ({
          headline: 'h',
          rootCause: s.evidence[0]!.summary,
          confidence: 'low',
          suspects: [],
          impact: '',
          nextSteps: [],
          similarIncidents: [],
          runbooks: [],
        }),
      },
      tools: [leaky],
      now: new Date(),
      catalog: { services: {} },
      logger: silentLogger,
      sink: sqliteSink(db),
    });
    const stored =
      JSON.stringify(db.prepare('SELECT * FROM tool_calls').all()) +
      JSON.stringify(db.prepare('SELECT * FROM investigations').all());
    for (const part of SECRET_PARTS) {
      expect(stored).not.toContain(part);
      expect(JSON.stringify(result)).not.toContain(part);
    }
  });
});
