import pino from 'pino';

/**
 * Structured JSON logs (one object per line) for web, worker and CLI, with a short `part` naming where a line comes
 * from and, where there is one, the job or request id.
 */
export const logger = pino({
  level: process.env.LOG_LEVEL ?? 'info',
  base: { service: process.env.LMS_SERVICE ?? 'lms' },
  timestamp: pino.stdTimeFunctions.isoTime,
  redact: { paths: ['password', '*.password', 'passwordHash', '*.passwordHash', 'secret', '*.secret'], censor: '[redacted]' },
});

export function partLogger(part: string, bindings: Record<string, unknown> = {}) {
  return logger.child({ part, ...bindings });
}
