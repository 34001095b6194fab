import pino from 'pino';

/**
 * The one application logger. Never pass note text or request bodies to it: notes are PHI. Log ids,
 * counts, timings and error messages only.
 */
export const logger = pino({
  level: process.env.LOG_LEVEL ?? 'info',
  base: undefined,
  redact: { paths: ['text', '*.text', 'note', '*.note', 'body', 'req.body'], censor: '[redacted]' },
});
