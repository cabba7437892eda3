import pino from 'pino';
import { getEnv } from './env';

/**
 * LOG_LEVEL and LMS_SERVICE. A logger exists even when the environment is invalid (then with the defaults), so the
 * process can log what is wrong when it reads the environment for its work.
 */
function settings(): { level: string; base: { service: string } } {
  try {
    const env = getEnv();
    return { level: env.LOG_LEVEL, base: { service: env.LMS_SERVICE } };
  } catch {
    return { level: 'info', base: { service: 'lms' } };
  }
}

/**
 * Structured JSON logs (one object per line) for web, worker and CLI, with a short `part` naming where a line comes
 * from and, where there is one, the job or request id.
 */
const logger = pino({
  ...settings(),
  timestamp: pino.stdTimeFunctions.isoTime,
  redact: { paths: ['password', '*.password', 'passwordHash', '*.passwordHash', 'secret', '*.secret'], censor: '[redacted]' },
});

export function partLogger(part: string, bindings: Record<string, unknown> = {}) {
  return logger.child({ part, ...bindings });
}
