import type { Logger } from 'pino';

export interface RecentLogEntry {
  /** Increasing per process: a stable key for lists. */
  seq: number;
  at: string;
  level: 'warn' | 'error' | 'fatal';
  /** The logger's name (web, collector, …). */
  name: string | null;
  msg: string;
  requestId: string | null;
  /** OpenTelemetry trace id when the log line was written inside a traced span. */
  traceId: string | null;
  error: string | null;
}

/**
 * The last warnings and errors a process logged, newest first: the admin Operations page shows them so an
 * operator without a log stack can still see what went wrong and follow the request or trace id.
 * Fed by a pino stream at level warn (the JSON line is parsed here, only for warn and above).
 */
export class RecentLogs {
  private readonly items: RecentLogEntry[] = [];
  private seq = 0;
  constructor(private readonly capacity = 100) {}

  /** A pino destination: `write(line)` receives one serialised JSON log line. */
  readonly stream = { write: (line: string) => this.record(line) };

  record(line: string): void {
    let o: Record<string, unknown>;
    try {
      o = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return;
    }
    const level = Number(o.level);
    const err = o.err as { message?: unknown } | string | undefined;
    this.items.push({
      seq: ++this.seq,
      at: new Date(typeof o.time === 'number' ? o.time : Date.now()).toISOString(),
      level: level >= 60 ? 'fatal' : level >= 50 ? 'error' : 'warn',
      name: typeof o.name === 'string' ? o.name : null,
      msg: String(o.msg ?? '').slice(0, 500),
      requestId: typeof o.requestId === 'string' ? o.requestId : null,
      traceId: str(o.trace_id) ?? str(o.traceId),
      error: (typeof err === 'string' ? err : str(err?.message))?.slice(0, 500) ?? null,
    });
    if (this.items.length > this.capacity) this.items.splice(0, this.items.length - this.capacity);
  }

  /** Newest first. */
  list(limit = this.capacity): RecentLogEntry[] {
    return this.items.slice(-limit).reverse();
  }
}

const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);

const byLogger = new WeakMap<object, RecentLogs>();

export function attachRecentLogs(logger: Logger, logs: RecentLogs): void {
  byLogger.set(logger, logs);
}

/** The ring buffer a root logger from `createLogger` writes its warnings and errors to (empty otherwise). */
export function recentLogsOf(logger: Logger): RecentLogs {
  let logs = byLogger.get(logger);
  if (!logs) {
    logs = new RecentLogs();
    byLogger.set(logger, logs);
  }
  return logs;
}
