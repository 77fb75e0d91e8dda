/**
 * Symbol search on a whole universe (issue 8, "Universe and search"): `searchSymbols` (exact code,
 * pinyin initials, prefix, substring, pg_trgm typos) vs a plain `ILIKE '%q%'` scan over code and names,
 * both measured in this run on the same 6 000+ stored names. Prints p50 per query kind and the ratio.
 * Run: npx tsx bench/symbol-search.ts                       (embedded PGlite)
 *      BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/symbol-search.ts
 * (on PostgreSQL a throwaway database is created next to the given one and dropped afterwards).
 */
import { randomBytes } from 'node:crypto';
import { searchSymbols, storeUniverse } from '@investiq/api';
import type { TMarket, TSymbolInfo } from '@investiq/contracts';
import { createDatabase, type DatabaseHandle } from '@investiq/db';
import { withDatabase } from '@investiq/db/testing';
import pg from 'pg';

const PER_MARKET = Number(process.env.BENCH_SYMBOLS ?? 2_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 200);
const HANZI =
  '华东南北中新国天海江山金银电力科技能源医药化工建设发展信息网络通讯汽车机械材料环保食品饮料酒业服装传媒文化';

function universe(): Record<TMarket, TSymbolInfo[]> {
  const zh = (i: number) => {
    let s = '';
    for (let k = 0, j = i * 7919; k < 4; k++, j = Math.floor(j / HANZI.length) + k * 31)
      s += HANZI[j % HANZI.length];
    return s;
  };
  const letters = (i: number) => {
    let s = '';
    for (let k = 0; k < 4; k++, i = Math.floor(i / 26)) s += String.fromCharCode(65 + (i % 26));
    return s;
  };
  const base = (market: TMarket, symbol: string, name: string, nameZh: string): TSymbolInfo => ({
    market,
    symbol,
    name,
    nameZh,
    currency: 'X',
    exchange: 'X',
    isDemo: false,
  });
  const out: Record<TMarket, TSymbolInfo[]> = {
    CN: [base('CN', '600519.SH', 'Kweichow Moutai', '贵州茅台')],
    HK: [base('HK', '0700.HK', 'Tencent Holdings', '腾讯控股')],
    US: [base('US', 'AAPL', 'Apple Inc.', '苹果')],
  };
  for (let i = 0; i < PER_MARKET; i++) {
    const sh = i % 2 === 0;
    out.CN.push(
      base(
        'CN',
        `${sh ? '60' : '00'}${String(1000 + i).padStart(4, '0')}.${sh ? 'SH' : 'SZ'}`,
        `China Co ${i}`,
        zh(i),
      ),
    );
    out.HK.push(base('HK', `${String(10000 + i)}.HK`, `Hong Kong Holdings ${i}`, zh(i + 1)));
    out.US.push(base('US', `Z${letters(i)}`, `American Corp ${letters(i * 3)}`, ''));
  }
  return out;
}

const QUERIES: [string, string][] = [
  ['exact code', '600519'],
  ['exact code (HK short)', '700'],
  ['ticker', 'aapl'],
  ['pinyin initials', 'gzmt'],
  ['Chinese substring', '茅台'],
  ['English prefix', 'tencent'],
  ['typo', 'tencnet'],
];

const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function time(fn: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 5; i++) await fn(); // warm-up
  const xs: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const t = performance.now();
    await fn();
    xs.push(performance.now() - t);
  }
  return p50(xs);
}

async function run(db: DatabaseHandle) {
  const u = universe();
  for (const m of ['CN', 'HK', 'US'] as const) await storeUniverse(db, m, 'bench', u[m], new Date());
  const [{ n }] = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM symbols')) as [
    { n: number },
  ];
  console.log(`${db.kind}: ${n} symbols, ${ROUNDS} rounds per query, Node ${process.version}`);
  console.log(
    'query kind               | searchSymbols p50 | ILIKE scan p50 | ratio (ILIKE / search) | top hit',
  );
  for (const [kind, q] of QUERIES) {
    let top = '';
    const search = await time(async () => {
      top = (await searchSymbols(db, q, { limit: 20 }))[0]?.symbol ?? '—';
    });
    const like = `%${q}%`;
    const scan = await time(() =>
      db.query(
        `SELECT market, symbol, name, name_zh FROM symbols
          WHERE symbol ILIKE $1 OR name ILIKE $1 OR name_zh ILIKE $1 ORDER BY market, symbol LIMIT 20`,
        [like],
      ),
    );
    console.log(
      `${kind.padEnd(24)} | ${search.toFixed(2).padStart(14)} ms | ${scan.toFixed(2).padStart(11)} ms | ${(scan / search).toFixed(2).padStart(22)} | ${top}`,
    );
  }
}

async function main() {
  const base = process.env.BENCH_DATABASE_URL;
  if (!base) {
    const db = await createDatabase({ dataDir: 'memory://' });
    try {
      await run(db);
    } finally {
      await db.close();
    }
    return;
  }
  const name = `bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  try {
    const db = await createDatabase({ databaseUrl: withDatabase(base, name), poolMax: 2 });
    try {
      await run(db);
    } finally {
      await db.close();
    }
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
