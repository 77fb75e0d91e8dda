import type { DatabaseHandle } from '@investiq/db';
import { fxRates } from '@investiq/db/schema';
import { asc, desc } from 'drizzle-orm';
import { auditInTx } from '../audit/audit-in-tx';
import { AppError } from '../errors';
import type { TCurrency } from './ledger';
import type { WriteMeta } from './portfolios';
import type { TFxRate } from './value-portfolio';

export async function listFxRates(db: DatabaseHandle): Promise<TFxRate[]> {
  const rows = await db.db
    .selectDistinctOn([fxRates.base, fxRates.quote], {
      base: fxRates.base,
      quote: fxRates.quote,
      rate: fxRates.rate,
      asOf: fxRates.asOf,
      source: fxRates.source,
    })
    .from(fxRates)
    .orderBy(asc(fxRates.base), asc(fxRates.quote), desc(fxRates.asOf));
  return rows.map((r) => ({ ...r, rate: Number(r.rate), asOf: r.asOf.toISOString() }));
}

export async function setFxRate(
  db: DatabaseHandle,
  r: { base: TCurrency; quote: TCurrency; rate: number; asOf: Date },
  meta: WriteMeta,
) {
  if (r.base === r.quote) throw new AppError('BAD_REQUEST', 'quote: base and quote currencies must differ');
  await db.db.transaction(async (tx) => {
    await tx
      .insert(fxRates)
      .values({ base: r.base, quote: r.quote, rate: String(r.rate), asOf: r.asOf, source: 'admin' })
      .onConflictDoUpdate({
        target: [fxRates.base, fxRates.quote, fxRates.asOf, fxRates.source],
        set: { rate: String(r.rate) },
      });
    await auditInTx(tx, {
      ...meta,
      action: 'fx.set',
      target: `${r.base}/${r.quote}`,
      newValue: { ...r, asOf: r.asOf.toISOString() },
    });
  });
}

/** Demo reference rates (roughly 2026 levels); the demo market's FX moves a little each day, deterministically. */
const DEMO_FX: [string, string, number][] = [
  ['USD', 'CNY', 7.1],
  ['HKD', 'CNY', 0.91],
  ['USD', 'HKD', 7.8],
];

/** With the demo market: today's demo FX rates (source `demo`, as of 00:00 UTC), written once per day. */
export async function ensureDemoFxRates(db: DatabaseHandle, now: Date): Promise<void> {
  const day = now.toISOString().slice(0, 10);
  const asOf = new Date(`${day}T00:00:00Z`);
  const dayNo = Math.floor(asOf.getTime() / 86_400_000);
  await db.db
    .insert(fxRates)
    .values(
      DEMO_FX.map(([base, quote, mid], i) => ({
        base,
        quote,
        // ±0.5 % wobble from the day number: the same day always gives the same rate
        rate: (mid * (1 + 0.005 * Math.sin(dayNo * 0.7 + i))).toFixed(6),
        asOf,
        source: 'demo',
      })),
    )
    .onConflictDoNothing();
}
