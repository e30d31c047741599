import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Structured logs, one JSON line each. Anything that could hold a credential is redacted
 * wherever it appears, so a careless `log.info({ body })` cannot leak a password or token.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { pid: process.pid },
      redact: {
        paths: [
          'password',
          '*.password',
          'accessToken',
          '*.accessToken',
          'refreshToken',
          '*.refreshToken',
          'token',
          '*.token',
          'req.headers.authorization',
          'req.headers.cookie',
          'res.headers["set-cookie"]',
        ],
        censor: '[redacted]',
      },
    },
    destination ?? pino.destination(1),
  );
}
