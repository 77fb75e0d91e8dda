import { EventEmitter } from 'node:events';
import type { DatabaseHandle } from '@investiq/db';
import type { Logger } from '../observability/logger';
import { ALERT_EVENTS_CHANNEL, unreadAlertCount } from './service';

/**
 * Per-process fan-out of "this user's alert events changed", fed by LISTEN so a firing in the evaluating
 * process reaches the bell of a user connected to any web process (in-process on PGlite).
 */
export class AlertFeed {
  private readonly emitter = new EventEmitter();
  private unlisten: (() => Promise<void>) | null = null;
  constructor(private readonly log?: Logger) {
    this.emitter.setMaxListeners(0);
  }

  async start(db: DatabaseHandle): Promise<void> {
    this.unlisten = await db.listen(ALERT_EVENTS_CHANNEL, (userId) => this.emitter.emit('changed', userId));
  }

  async stop(): Promise<void> {
    await this.unlisten?.().catch((err) =>
      this.log?.warn({ err: String(err) }, 'alert feed unlisten failed'),
    );
    this.unlisten = null;
    this.emitter.removeAllListeners();
  }

  /** The user's unread count now, then again after every change, until `signal` aborts (SSE for the bell). */
  async *unreadCounts(
    db: DatabaseHandle,
    userId: string,
    signal: AbortSignal,
  ): AsyncGenerator<{ count: number }> {
    let dirty = true;
    let wake: (() => void) | null = null;
    const onChange = (id: string) => {
      if (id !== userId) return;
      dirty = true;
      wake?.();
    };
    const onAbort = () => wake?.();
    this.emitter.on('changed', onChange);
    signal.addEventListener('abort', onAbort);
    try {
      while (!signal.aborted) {
        if (dirty) {
          dirty = false;
          yield { count: await unreadAlertCount(db, userId) };
          continue;
        }
        await new Promise<void>((r) => {
          wake = r;
        });
        wake = null;
      }
    } finally {
      this.emitter.off('changed', onChange);
      signal.removeEventListener('abort', onAbort);
    }
  }
}
