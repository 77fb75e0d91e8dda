import { createHash } from 'node:crypto';
import type { TMarket, TQuote } from '@investiq/contracts';
import type { DatabaseHandle } from '@investiq/db';
import { type Leadership, startLeadership } from '../collector/leader';
import { enqueueNotification, type NotificationDeps } from '../notifications/service';
import type { Logger } from '../observability/logger';
import type { QuoteHub } from '../quotes/quote-hub';
import {
  describeCondition,
  evaluate,
  type TAlertCondition,
  type TAlertState,
  ZAlertCondition,
} from './condition';
import { ALERT_EVENTS_CHANNEL, ALERTS_CHANNEL } from './service';

/** The advisory lock of the one evaluating process per database. */
export const ALERTS_LOCK = 'investiq_alert_engine';
/** Alerts of one user firing within this window go out as one digest per channel. */
export const DEFAULT_GROUP_WINDOW_MS = 2_000;

interface LoadedAlert {
  id: string;
  userId: string;
  market: TMarket;
  symbol: string;
  condition: TAlertCondition;
  channelIds: string[];
  cooldownSeconds: number;
  lastState: TAlertState;
  lastFiredAt: Date | null;
}

/** One firing, waiting in its user's group until the window closes. */
export interface FiredAlert {
  eventId: string;
  alertId: string;
  userId: string;
  market: TMarket;
  symbol: string;
  condition: string;
  channelIds: string[];
  price: number;
  quoteTs: string;
  firedAt: Date;
  message: string;
}

export interface AlertEngineOptions {
  db: DatabaseHandle;
  hub: QuoteHub;
  notifications: NotificationDeps;
  log: Logger;
  now: () => Date;
  groupWindowMs?: number | undefined;
}

const fmtPrice = (n: number) => (Math.abs(n) >= 1 ? n.toFixed(2) : n.toPrecision(4));

/**
 * Evaluates alerts as quotes arrive: subscribed to the quote hub (fed by NOTIFY on every ingest), with the
 * enabled alerts indexed in memory by market:symbol and reloaded when alerts change (NOTIFY on
 * `investiq_alerts`, or `changed()` in-process). Quotes are handled one at a time in arrival order. A firing
 * is stored (alert state + alert_events row, in one transaction guarded by `last_state = 'armed'`) before
 * anything is sent; firings of one user within `groupWindowMs` are sent as one message per channel (a digest
 * when there are several), through the notification queue with idempotency keys.
 */
export class AlertEngine {
  private index = new Map<string, LoadedAlert[]>();
  /** Newest quote time evaluated per market:symbol: a late or back-filled older quote is not a crossing. */
  private readonly lastTs = new Map<string, number>();
  private chain: Promise<void> = Promise.resolve();
  private readonly groups = new Map<string, { timer: NodeJS.Timeout; fired: FiredAlert[] }>();
  private readonly sends = new Set<Promise<void>>();
  private unsubscribe: (() => void) | null = null;
  private unlisten: (() => Promise<void>) | null = null;
  private running = false;
  readonly groupWindowMs: number;

  constructor(private readonly o: AlertEngineOptions) {
    this.groupWindowMs = o.groupWindowMs ?? DEFAULT_GROUP_WINDOW_MS;
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** How many enabled alerts are indexed (status, tests). */
  get alertCount(): number {
    let n = 0;
    for (const list of this.index.values()) n += list.length;
    return n;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.unsubscribe = this.o.hub.onQuote((q) => {
      if (this.index.has(`${q.market}:${q.symbol}`)) void this.enqueue(() => this.onQuote(q));
    });
    this.unlisten = await this.o.db.listen(ALERTS_CHANNEL, () => void this.changed());
    await this.changed();
    this.o.log.info({ alerts: this.alertCount }, 'alert engine started');
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.unsubscribe?.();
    this.unsubscribe = null;
    await this.unlisten?.().catch(() => {});
    this.unlisten = null;
    await this.chain;
    // a clean stop sends what is waiting in a group instead of dropping it
    for (const userId of [...this.groups.keys()]) this.flush(userId);
    await Promise.allSettled([...this.sends]);
    this.index.clear();
  }

  /** Alerts were created or deleted: reload the index (after the quotes already queued). */
  changed(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return this.enqueue(() => this.reload());
  }

  /** Resolves when every queued quote is evaluated and every closed group is handed to the queue. */
  async idle(): Promise<void> {
    await this.chain;
    await Promise.allSettled([...this.sends]);
  }

  private enqueue(fn: () => Promise<void>): Promise<void> {
    const run = this.chain.then(fn).catch((err) => {
      this.o.log.error({ err }, 'alert engine step failed');
    });
    this.chain = run;
    return run;
  }

  private async reload(): Promise<void> {
    const rows = await this.o.db.query<{
      id: string;
      user_id: string;
      market: TMarket;
      symbol: string;
      condition: unknown;
      channel_ids: string[];
      cooldown_seconds: number;
      last_state: TAlertState;
      last_fired_at: Date | string | null;
    }>(
      `SELECT id, user_id, market, symbol, condition, channel_ids, cooldown_seconds, last_state, last_fired_at
         FROM alerts WHERE enabled`,
    );
    const next = new Map<string, LoadedAlert[]>();
    for (const r of rows) {
      const condition = ZAlertCondition.safeParse(r.condition);
      if (!condition.success) {
        this.o.log.warn({ alert: r.id }, 'alert with an unreadable condition skipped');
        continue;
      }
      const key = `${r.market}:${r.symbol}`;
      const list = next.get(key) ?? [];
      list.push({
        id: r.id,
        userId: r.user_id,
        market: r.market,
        symbol: r.symbol,
        condition: condition.data,
        channelIds: r.channel_ids,
        cooldownSeconds: r.cooldown_seconds,
        lastState: r.last_state,
        lastFiredAt: r.last_fired_at === null ? null : new Date(r.last_fired_at),
      });
      next.set(key, list);
    }
    this.index = next;
  }

  private async onQuote(quote: TQuote): Promise<void> {
    const key = `${quote.market}:${quote.symbol}`;
    const list = this.index.get(key);
    if (!list) return;
    const ts = Date.parse(quote.ts);
    if (ts <= (this.lastTs.get(key) ?? Number.NEGATIVE_INFINITY)) return;
    this.lastTs.set(key, ts);
    for (const alert of list) {
      const now = this.o.now();
      const ev = evaluate(alert.condition, quote, alert, now);
      if (!ev.fire) {
        if (ev.state !== alert.lastState) {
          await this.o.db.query('UPDATE alerts SET last_state = $2 WHERE id = $1', [alert.id, ev.state]);
          alert.lastState = ev.state;
        }
        continue;
      }
      const desc = describeCondition(alert.condition);
      const message = `${alert.symbol} (${alert.market}) ${desc}: last ${fmtPrice(quote.price)}${
        ev.changePct === null
          ? ''
          : ` (${ev.changePct >= 0 ? '+' : ''}${ev.changePct.toFixed(2)}% on the day)`
      } at ${quote.ts} — alert ${alert.id}`;
      const eventId = await this.o.db.transaction(async (q) => {
        const upd = await q<{ id: string }>(
          `UPDATE alerts SET last_state = 'triggered', last_fired_at = $2
            WHERE id = $1 AND enabled AND last_state = 'armed' RETURNING id`,
          [alert.id, now],
        );
        if (!upd[0]) return null; // deleted, disabled or fired by another evaluator meanwhile
        const [row] = await q<{ id: string }>(
          `INSERT INTO alert_events (alert_id, user_id, fired_at, price, quote_ts, message)
           VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
          [alert.id, alert.userId, now, quote.price, quote.ts, message],
        );
        await q('SELECT pg_notify($1, $2)', [ALERT_EVENTS_CHANNEL, alert.userId]);
        return row!.id;
      });
      alert.lastState = 'triggered';
      alert.lastFiredAt = now;
      if (!eventId) continue;
      this.o.log.info({ alert: alert.id, symbol: alert.symbol, price: quote.price }, 'alert fired');
      this.group({
        eventId,
        alertId: alert.id,
        userId: alert.userId,
        market: alert.market,
        symbol: alert.symbol,
        condition: desc,
        channelIds: alert.channelIds,
        price: quote.price,
        quoteTs: quote.ts,
        firedAt: now,
        message,
      });
    }
  }

  private group(f: FiredAlert): void {
    const open = this.groups.get(f.userId);
    if (open) {
      open.fired.push(f);
      return;
    }
    const timer = setTimeout(() => this.flush(f.userId), this.groupWindowMs);
    this.groups.set(f.userId, { timer, fired: [f] });
  }

  private flush(userId: string): void {
    const g = this.groups.get(userId);
    if (!g) return;
    clearTimeout(g.timer);
    this.groups.delete(userId);
    const send = this.send(userId, g.fired).catch((err) =>
      this.o.log.error({ err, userId }, 'alert notifications could not be queued'),
    );
    this.sends.add(send);
    void send.finally(() => this.sends.delete(send));
  }

  private async send(userId: string, fired: FiredAlert[]): Promise<void> {
    const byChannel = new Map<string, FiredAlert[]>();
    for (const f of fired)
      for (const ch of f.channelIds) byChannel.set(ch, [...(byChannel.get(ch) ?? []), f]);
    for (const [channelId, list] of byChannel) {
      try {
        if (list.length === 1) {
          const f = list[0]!;
          await enqueueNotification(this.o.notifications, {
            userId,
            channelId,
            event: 'alert.triggered',
            idempotencyKey: `alert:${f.alertId}:${f.firedAt.toISOString()}`,
            payload: {
              title: `${f.symbol} ${f.condition}`,
              text: f.message,
              symbol: f.symbol,
              market: f.market,
              price: f.price,
              condition: f.condition,
              time: f.firedAt.toISOString(),
            },
          });
        } else {
          const ids = list.map((f) => f.eventId).sort();
          const key = createHash('sha256').update(ids.join(',')).digest('hex').slice(0, 32);
          const lines = list.map((f) => f.message);
          let text = lines.join('\n');
          if (text.length > 4000) text = `${text.slice(0, 3990)}\n…`;
          await enqueueNotification(this.o.notifications, {
            userId,
            channelId,
            event: 'alert.digest',
            idempotencyKey: `alert-digest:${key}`,
            payload: {
              title: `${list.length} alerts fired`,
              text,
              time: list[0]!.firedAt.toISOString(),
            },
          });
        }
      } catch (err) {
        // a deleted or disabled channel must not stop the user's other channels
        this.o.log.warn({ err: String(err), channelId, userId }, 'alert notification not queued');
      }
    }
  }
}

/** Run `engine` in the one process holding the alert-engine lock (alone on PGlite). */
export function leadAlertEngine(
  db: DatabaseHandle,
  engine: AlertEngine,
  log: Logger,
  retryMs?: number,
): Leadership {
  return startLeadership(db, {
    lock: ALERTS_LOCK,
    name: 'alert engine',
    retryMs,
    log,
    onLead: () => engine.start(),
    onStandby: () => engine.stop(),
  });
}
