import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../app/logger';

/** A real logger writing into a string, so tests read exactly what would reach stderr. */
function capturedLogger() {
  let out = '';
  const sink = new Writable({
    write(chunk, _enc, done) {
      out += String(chunk);
      done();
    },
  });
  return { logger: createLogger('info', sink), output: () => out };
}

describe('structured logging', () => {
  it('writes JSON and never writes secrets found under secret-looking keys', () => {
    const { logger, output } = capturedLogger();
    logger.info(
      {
        SLACK_BOT_TOKEN: 'xoxb-111-secret',
        config: { apiKey: 'dd-secret-key' },
        headers: { authorization: 'Bearer abc.def' },
        service: 'checkout',
      },
      'starting',
    );
    const line = JSON.parse(output().trim());
    expect(line).toMatchObject({
      msg: 'starting',
      service: 'checkout',
      SLACK_BOT_TOKEN: '[redacted]',
      config: { apiKey: '[redacted]' },
    });
    expect(output()).not.toContain('xoxb-111-secret');
    expect(output()).not.toContain('dd-secret-key');
    expect(output()).not.toContain('abc.def');
  });

  it('redacts secrets inside messages and nested values too', () => {
    const { logger, output } = capturedLogger();
    logger.warn(
      { err: { message: 'connect postgres://app:Hunter2Hunter2@db:5432/x failed' } },
      'token ghp_1234567890abcdefghijklmnopqrstuvwxyzAB rejected',
    );
    expect(output()).not.toContain('Hunter2Hunter2');
    expect(output()).not.toContain('ghp_1234567890');
    expect(output()).toContain('[REDACTED');
  });
});
