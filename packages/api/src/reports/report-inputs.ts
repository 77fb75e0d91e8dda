import type { TBar } from '@investiq/contracts';
import type { DatabaseHandle } from '@investiq/db';
import { oneBarPerDay } from '../market/bars-sql';
import { type InferenceGateway, SERVICES, type ServiceHealthView } from './inference-gateway';

/** Stored daily bars up to `asOf` (all when null), the newest `limit`, oldest first. */
export async function loadBars(
  db: DatabaseHandle,
  market: string,
  symbol: string,
  limit: number,
  asOf: string | null,
): Promise<TBar[]> {
  const rows = await db.query<{ d: string; o: number; h: number; l: number; c: number; v: number }>(
    `SELECT to_char(date, 'YYYY-MM-DD') AS d, open::float8 AS o, high::float8 AS h, low::float8 AS l,
            close::float8 AS c, volume::float8 AS v
       FROM (SELECT * FROM ${oneBarPerDay('$1', '$2')} one WHERE ($4::date IS NULL OR date <= $4::date)
             ORDER BY date DESC LIMIT $3) x
      ORDER BY date`,
    [market, symbol, limit, asOf],
  );
  return rows.map((r) => ({ time: r.d, open: r.o, high: r.h, low: r.l, close: r.c, volume: r.v }));
}

/** Every inference service's /health, by service name (lineage, and whether an LLM is configured). */
export async function servicesHealth(
  inference: InferenceGateway,
): Promise<Record<string, ServiceHealthView>> {
  const hs = await Promise.all(SERVICES.map((s) => inference.health(s)));
  return Object.fromEntries(hs.map((h) => [h.service, h]));
}
