import pino, { type Logger } from 'pino';
import { redactDeep, redactSecrets } from '../lib/redact';
import { SECRET_VARIABLES } from './config';

/**
 * Structured JSON logs on stderr (stdout is reserved for command output such as --json).
 * Secrets are redacted by key name wherever they appear in a log object.
 */
const SECRET_KEYS = [
  ...SECRET_VARIABLES,
  'token',
  'apiKey',
  'appKey',
  'authorization',
  'password',
  'secret',
  'signingSecret',
  'botToken',
  'appToken',
];

export const REDACT_PATHS = SECRET_KEYS.flatMap((k) => [
  k,
  `*.${k}`,
  `*.*.${k}`,
  `headers.${k.toLowerCase()}`,
]);

export function createLogger(
  level = 'info',
  destination: pino.DestinationStream = pino.destination(2),
): Logger {
  return pino(
    {
      level,
      base: { app: 'sre-assistant' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      // Secrets can also hide inside messages and values (a URL with a password, a token in an error).
      hooks: {
        logMethod(args, method) {
          method.apply(
            this,
            args.map((a) => (typeof a === 'string' ? redactSecrets(a) : redactDeep(a))) as Parameters<
              typeof method
            >,
          );
        },
      },
    },
    destination,
  );
}

/** A logger that drops everything: for tests and for commands that print their own output. */
export const silentLogger: Logger = pino({ level: 'silent' });
