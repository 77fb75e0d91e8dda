import type { TMarket, TQuote } from '@investiq/contracts';
import type { DatabaseHandle } from '@investiq/db';
import { type Leadership, startLeadership } from '../collector/leader';
import type { NotificationDeps } from '../notifications/service';
import type { Logger } from '../observability/logger';
import type { FreshnessOptions } from '../quotes/decide-freshness';
import type { QuoteHub } from '../quotes/quote-hub';
import { commitBatch, type Firing, newEventId } from './commit-firings';
import {
  describeCondition,
  isSweepCondition,
  needsBars,
  type TAlertCondition,
  type TAlertState,
  type TQuoteCondition,
  transition,
  ZAlertCondition,
} from './condition';
import { type OutgoingAlert, releaseHeld, sendToChannel } from './deliveries';
import { judgeQuote, type QuoteFacts } from './judge-quote';
import { judgeSweep, type SweepJudgement } from './judge-sweep';
import { loadQuietHours, type QuietWindow, quietUntil } from './quiet-hours';
import { ALERTS_CHANNEL } from './service';
import { SymbolMemory } from './symbol-memory';

/** The advisory lock of the one evaluating process per database. */
export const ALERTS_LOCK = 'investiq_alert_engine';
/** Alerts of one user firing within this window go out as one digest per channel. */
export const DEFAULT_GROUP_WINDOW_MS = 2_000;
/** How often stale quotes, drawdowns, report signals and the end of quiet hours are checked. */
export const DEFAULT_SWEEP_INTERVAL_MS = 15_000;

interface LoadedAlert {
  id: string;
  userId: string;
  market: TMarket | null;
  symbol: string | null;
  condition: TAlertCondition;
  channelIds: string[];
  cooldownSeconds: number;
  lastState: TAlertState;
  lastFiredAt: Date | null;
  memo: unknown;
}

interface Batch {
  states: Map<string, { state: TAlertState; lastFiredAt: Date | null }>;
  firings: Firing[];
}

/** One firing, waiting in its user's group until the window closes. */
export interface FiredAlert {
  userId: string;
  /** Its messages to channels that are not held by quiet hours. */
  outgoing: OutgoingAlert[];
}

export interface AlertEngineOptions {
  db: DatabaseHandle;
  hub: QuoteHub;
  notifications: NotificationDeps;
  log: Logger;
  now: () => Date;
  groupWindowMs?: number | undefined;
  sweepIntervalMs?: number | undefined;
  /** The quotes' maximum age and freshness rules (the `quote_stale` and drawdown conditions). */
  quoteMaxAgeSeconds?: number | undefined;
  freshness?: FreshnessOptions | undefined;
}

const fmtPrice = (n: number) => (Math.abs(n) >= 1 ? n.toFixed(2) : n.toPrecision(4));
const fmtObserved = (n: number) => (Math.abs(n) >= 100 ? n.toFixed(1) : n.toFixed(2));

interface SymbolWatch {
  alerts: LoadedAlert[];
  memory: SymbolMemory | null;
  /** Longest `change_pct_window` of the symbol's alerts, ms (0: no recent prices kept). */
  keepMs: number;
  bars: boolean;
}

/**
 * Evaluates alerts: quote conditions as quotes arrive (subscribed to the quote hub, fed by NOTIFY on every
 * ingest; only the symbol's own alerts are evaluated, from an index by market:symbol), the others on a periodic
 * sweep. The index is reloaded when alerts or quiet hours change (NOTIFY on `investiq_alerts`, or `changed()`).
 * Work runs one step at a time in arrival order. A firing is stored (alert state + alert_events row + one
 * alert_deliveries row per channel, in one transaction guarded by `last_state = 'armed'`) before anything is
 * sent; firings of one user within `groupWindowMs` go out as one message per channel (a digest when there are
 * several). Inside the user's quiet hours the channel messages are held and the sweep sends them as one digest
 * per channel when the quiet hours end.
 */
export class AlertEngine {
  private index = new Map<string, SymbolWatch>();
  private sweepAlerts: LoadedAlert[] = [];
  private quiet = new Map<string, QuietWindow>();
  private readonly memories = new Map<string, SymbolMemory>();
  /** Newest quote time evaluated per market:symbol: a late or back-filled older quote is not a crossing. */
  private readonly lastTs = new Map<string, number>();
  private chain: Promise<void> = Promise.resolve();
  private readonly groups = new Map<string, { timer: NodeJS.Timeout; fired: FiredAlert[] }>();
  private readonly sends = new Set<Promise<void>>();
  private unsubscribe: (() => void) | null = null;
  private unlisten: (() => Promise<void>) | null = null;
  private sweepTimer: NodeJS.Timeout | null = null;
  private sweeping = false;
  private pending: TQuote[] = [];
  private drainQueued = false;
  private running = false;
  /** Quotes evaluated (status, benchmark). */
  quotesEvaluated = 0;
  readonly groupWindowMs: number;
  readonly sweepIntervalMs: number;

  constructor(private readonly o: AlertEngineOptions) {
    this.groupWindowMs = o.groupWindowMs ?? DEFAULT_GROUP_WINDOW_MS;
    this.sweepIntervalMs = o.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS;
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** How many enabled alerts are indexed (status, tests). */
  get alertCount(): number {
    let n = this.sweepAlerts.length;
    for (const w of this.index.values()) n += w.alerts.length;
    return n;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.unsubscribe = this.o.hub.onQuote((q) => {
      if (!this.index.has(`${q.market}:${q.symbol}`)) return;
      this.pending.push(q);
      // one drain step evaluates every quote that arrived meanwhile (batched writes under load)
      if (!this.drainQueued) {
        this.drainQueued = true;
        void this.enqueue(() => this.drain());
      }
    });
    this.unlisten = await this.o.db.listen(ALERTS_CHANNEL, () => void this.changed());
    await this.changed();
    this.sweepTimer = setInterval(() => void this.sweep(), this.sweepIntervalMs);
    this.sweepTimer.unref?.();
    this.o.log.info({ alerts: this.alertCount }, 'alert engine started');
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.sweepTimer = null;
    this.unsubscribe?.();
    this.unsubscribe = null;
    await this.unlisten?.().catch(() => {});
    this.unlisten = null;
    await this.chain;
    // a clean stop sends what is waiting in a group instead of dropping it
    for (const userId of [...this.groups.keys()]) this.flush(userId);
    await Promise.allSettled([...this.sends]);
    this.index.clear();
    this.sweepAlerts = [];
  }

  /** Alerts or quiet hours changed: reload the index (after the quotes already queued). */
  changed(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return this.enqueue(() => this.reload());
  }

  /** Run the periodic sweep now (sweep conditions, end of quiet hours); resolves when it is done. */
  sweep(): Promise<void> {
    if (!this.running || this.sweeping) return Promise.resolve();
    this.sweeping = true;
    return this.enqueue(() => this.runSweep()).finally(() => {
      this.sweeping = false;
    });
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
      market: TMarket | null;
      symbol: string | null;
      condition: unknown;
      channel_ids: string[];
      cooldown_seconds: number;
      last_state: TAlertState;
      last_fired_at: Date | string | null;
      memo: unknown;
    }>(
      `SELECT id, user_id, market, symbol, condition, channel_ids, cooldown_seconds, last_state, last_fired_at, memo
         FROM alerts WHERE enabled`,
    );
    const next = new Map<string, SymbolWatch>();
    const sweep: LoadedAlert[] = [];
    for (const r of rows) {
      const condition = ZAlertCondition.safeParse(r.condition);
      if (!condition.success) {
        this.o.log.warn({ alert: r.id }, 'alert with an unreadable condition skipped');
        continue;
      }
      const alert: LoadedAlert = {
        id: r.id,
        userId: r.user_id,
        market: r.market,
        symbol: r.symbol,
        condition: condition.data,
        channelIds: r.channel_ids,
        cooldownSeconds: r.cooldown_seconds,
        lastState: r.last_state,
        lastFiredAt: r.last_fired_at === null ? null : new Date(r.last_fired_at),
        memo: r.memo,
      };
      if (isSweepCondition(alert.condition) || !r.market || !r.symbol) {
        sweep.push(alert);
        continue;
      }
      const key = `${r.market}:${r.symbol}`;
      const w = next.get(key) ?? { alerts: [], memory: null, keepMs: 0, bars: false };
      w.alerts.push(alert);
      if (alert.condition.type === 'change_pct_window')
        w.keepMs = Math.max(w.keepMs, alert.condition.windowMinutes * 60_000);
      if (needsBars(alert.condition)) w.bars = true;
      next.set(key, w);
    }
    for (const [key, w] of next) {
      if (w.keepMs === 0 && !w.bars) continue;
      let m = this.memories.get(key);
      if (!m) {
        const [market, symbol] = [w.alerts[0]!.market!, w.alerts[0]!.symbol!];
        m = new SymbolMemory(market, symbol);
        this.memories.set(key, m);
      }
      w.memory = m;
    }
    for (const key of [...this.memories.keys()]) if (!next.get(key)?.memory) this.memories.delete(key);
    this.index = next;
    this.sweepAlerts = sweep;
    this.quiet = await loadQuietHours(this.o.db);
  }

  /** Evaluate the quotes that arrived, in arrival order, then store all state changes and firings at once. */
  private async drain(): Promise<void> {
    this.drainQueued = false;
    const quotes = this.pending;
    this.pending = [];
    const batch: Batch = { states: new Map(), firings: [] };
    for (const quote of quotes) await this.onQuote(quote, batch);
    await this.commit(batch);
  }

  private async onQuote(quote: TQuote, batch: Batch): Promise<void> {
    const key = `${quote.market}:${quote.symbol}`;
    const w = this.index.get(key);
    if (!w) return;
    const ts = Date.parse(quote.ts);
    if (ts <= (this.lastTs.get(key) ?? Number.NEGATIVE_INFINITY)) return;
    this.lastTs.set(key, ts);
    this.quotesEvaluated++;
    const m = w.memory;
    if (m && w.keepMs > 0) {
      await m.backfill(this.o.db, ts, w.keepMs);
      m.push(ts, quote.price, w.keepMs);
    }
    const facts: QuoteFacts = {
      quote,
      daily: m && w.bars ? await m.dailyIndicators(this.o.db, new Date(ts)) : null,
      priceAtOrBefore: (t) => m?.priceAtOrBefore(t) ?? null,
    };
    const now = this.o.now();
    for (const alert of w.alerts) {
      const j = judgeQuote(alert.condition as TQuoteCondition, facts);
      this.judge(alert, j, { price: quote.price, quoteTs: quote.ts }, now, batch);
    }
  }

  private async runSweep(): Promise<void> {
    const now = this.o.now();
    const deps = {
      db: this.o.db,
      now,
      maxAgeSeconds: this.o.quoteMaxAgeSeconds ?? 60,
      freshness: this.o.freshness ?? {},
    };
    const batch: Batch = { states: new Map(), firings: [] };
    for (const alert of this.sweepAlerts) {
      if (!isSweepCondition(alert.condition)) continue;
      try {
        const j = await judgeSweep(alert.condition, alert, deps);
        if (j.memo !== undefined && JSON.stringify(j.memo) !== JSON.stringify(alert.memo)) {
          await this.o.db.query('UPDATE alerts SET memo = $2 WHERE id = $1', [
            alert.id,
            JSON.stringify(j.memo),
          ]);
          alert.memo = j.memo;
        }
        this.judge(alert, j, { price: j.price ?? null, quoteTs: j.quoteTs ?? null }, now, batch);
      } catch (err) {
        // a deleted portfolio or a failing read must not stop the other alerts
        this.o.log.warn({ err: String(err), alert: alert.id }, 'alert sweep condition not judged');
      }
    }
    await this.commit(batch);
    try {
      const released = await releaseHeld(this.o.notifications, now);
      if (released > 0) this.o.log.info({ released }, 'held alert messages sent');
    } catch (err) {
      this.o.log.error({ err }, 'held alert messages could not be sent');
    }
  }

  /** Apply the crossing rule in memory; record the state change or the firing in the batch. */
  private judge(
    alert: LoadedAlert,
    j: SweepJudgement,
    at: { price: number | null; quoteTs: string | null },
    now: Date,
    batch: Batch,
  ): void {
    const ev = j.edge
      ? transition(j.holds, { ...alert, lastState: 'armed' }, now)
      : transition(j.holds, alert, now);
    const state = j.edge ? 'armed' : ev.state;
    if (!ev.fire) {
      if (state !== alert.lastState) {
        alert.lastState = state;
        batch.states.set(alert.id, { state, lastFiredAt: alert.lastFiredAt });
      }
      return;
    }
    alert.lastState = state;
    alert.lastFiredAt = now;
    batch.states.set(alert.id, { state, lastFiredAt: now });
    const desc = describeCondition(alert.condition);
    const where = alert.symbol ? `${alert.symbol} (${alert.market})` : 'Portfolio';
    const observed =
      j.observed === null || alert.condition.type.startsWith('price_') ? '' : ` [${fmtObserved(j.observed)}]`;
    const quiet = this.quiet.get(alert.userId);
    batch.firings.push({
      eventId: newEventId(),
      alertId: alert.id,
      userId: alert.userId,
      market: alert.market,
      symbol: alert.symbol,
      condition: alert.condition,
      channelIds: alert.channelIds,
      firedAt: now,
      price: at.price,
      quoteTs: at.quoteTs,
      observed: j.observed,
      holdUntil: quiet ? quietUntil(quiet, now) : null,
      message: `${where} ${desc}${observed}${at.price === null ? '' : `: last ${fmtPrice(at.price)}`}${
        j.detail ? ` (${j.detail})` : ''
      }${at.quoteTs ? ` at ${at.quoteTs}` : ''} — alert ${alert.id}`,
    });
  }

  /** Store a batch; group the stored firings' channel messages that are not held. */
  private async commit(batch: Batch): Promise<void> {
    const stored = await commitBatch(this.o.db, batch.states, batch.firings);
    if (stored.length > 0) this.o.log.info({ fired: stored.length }, 'alerts fired');
    for (const { firing: f, rows } of stored) {
      if (f.holdUntil || rows.length === 0) continue;
      this.group({
        userId: f.userId,
        outgoing: rows.map((r) => ({
          rowId: r.id,
          channelId: r.channelId,
          eventId: f.eventId,
          alertId: f.alertId,
          market: f.market,
          symbol: f.symbol,
          condition: describeCondition(f.condition),
          price: f.price,
          firedAt: f.firedAt,
          message: f.message,
        })),
      });
    }
  }

  private group(f: FiredAlert): void {
    const open = this.groups.get(f.userId);
    if (open) {
      open.fired.push(f);
      return;
    }
    // the window closes after the steps already queued (all firings of one quote land in one group, even slowed)
    const timer = setTimeout(() => void this.chain.then(() => this.flush(f.userId)), this.groupWindowMs);
    this.groups.set(f.userId, { timer, fired: [f] });
  }

  private flush(userId: string): void {
    const g = this.groups.get(userId);
    if (!g) return;
    clearTimeout(g.timer);
    this.groups.delete(userId);
    const byChannel = new Map<string, OutgoingAlert[]>();
    for (const f of g.fired)
      for (const o of f.outgoing) byChannel.set(o.channelId, [...(byChannel.get(o.channelId) ?? []), o]);
    const send = (async () => {
      for (const [channelId, list] of byChannel)
        await sendToChannel(this.o.notifications, userId, channelId, list);
    })().catch((err) => this.o.log.error({ err, userId }, 'alert notifications could not be queued'));
    this.sends.add(send);
    void send.finally(() => this.sends.delete(send));
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
