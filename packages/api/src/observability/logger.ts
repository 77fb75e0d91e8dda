import { traceLogFields } from '@investiq/telemetry';
import pino, { type Logger } from 'pino';

export type { Logger };

/** Structured JSON logs. Secrets are redacted by path wherever they might appear. */
export function createLogger(opts: { level?: string; name?: string } = {}): Logger {
  return pino({
    name: opts.name ?? 'investiq',
    level: opts.level ?? 'info',
    // trace/span ids of the current span, so a log line leads to its trace (nothing when tracing is off)
    mixin: traceLogFields,
    redact: {
      paths: [
        'authorization',
        '*.authorization',
        'headers.authorization',
        'headers.cookie',
        'token',
        '*.token',
        'password',
        '*.password',
      ],
      censor: '[redacted]',
    },
  });
}
