import { traceLogFields } from '@investiq/telemetry';
import pino, { type Logger } from 'pino';
import { attachRecentLogs, RecentLogs } from './recent-errors';

export type { Logger };

/**
 * Structured JSON logs to stdout. Secrets are redacted by path wherever they might appear. Warnings and
 * errors also go to an in-memory ring (`recentLogsOf(logger)`) for the admin Operations page.
 */
export function createLogger(opts: { level?: string; name?: string } = {}): Logger {
  const level = opts.level ?? 'info';
  const recent = new RecentLogs();
  const logger = pino(
    {
      name: opts.name ?? 'investiq',
      level,
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
    },
    pino.multistream([
      { level: level === 'silent' ? 'fatal' : (level as pino.Level), stream: pino.destination(1) },
      { level: 'warn', stream: recent.stream },
    ]),
  );
  attachRecentLogs(logger, recent);
  return logger;
}
