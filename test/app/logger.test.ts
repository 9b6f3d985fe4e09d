import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../app/logger';

describe('structured logging', () => {
  it('writes JSON and never writes secrets found under secret-looking keys', () => {
    let out = '';
    const sink = new Writable({
      write(chunk, _enc, done) {
        out += String(chunk);
        done();
      },
    });
    const logger = createLogger('info', sink);
    logger.info(
      {
        SLACK_BOT_TOKEN: 'xoxb-111-secret',
        config: { apiKey: 'dd-secret-key' },
        headers: { authorization: 'Bearer abc.def' },
        service: 'checkout',
      },
      'starting',
    );
    const line = JSON.parse(out.trim());
    expect(line).toMatchObject({
      msg: 'starting',
      service: 'checkout',
      SLACK_BOT_TOKEN: '[redacted]',
      config: { apiKey: '[redacted]' },
    });
    expect(out).not.toContain('xoxb-111-secret');
    expect(out).not.toContain('dd-secret-key');
    expect(out).not.toContain('abc.def');
  });

  it('redacts secrets inside messages and nested values too', () => {
    let out = '';
    const sink = new Writable({
      write(chunk, _enc, done) {
        out += String(chunk);
        done();
      },
    });
    const logger = createLogger('info', sink);
    logger.warn(
      { err: { message: 'connect postgres://app:Hunter2Hunter2@db:5432/x failed' } },
      'token ghp_1234567890abcdefghijklmnopqrstuvwxyzAB rejected',
    );
    expect(out).not.toContain('Hunter2Hunter2');
    expect(out).not.toContain('ghp_1234567890');
    expect(out).toContain('[REDACTED');
  });
});
