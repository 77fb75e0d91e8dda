import { type Same, sameType, type TMarket, type TSymbolInfo, ZSymbolInfo } from '@investiq/contracts';
import type { DatabaseHandle } from '@investiq/db';
import { z } from 'zod';

const MATCH_KINDS = ['code', 'name', 'code_prefix', 'prefix', 'contains', 'fuzzy'] as const;
export type SymbolMatch = (typeof MATCH_KINDS)[number];

export interface SymbolHit extends TSymbolInfo {
  /** How the query matched, best first: exact code, exact name/pinyin, code prefix, name/pinyin prefix, substring, typo-tolerant. */
  match: SymbolMatch;
  /** On the dashboard watchlist (streamed by the collector). */
  tracked: boolean;
}

const MATCHES: readonly SymbolMatch[] = MATCH_KINDS;

/** What `market.search` answers per hit (its `.output()`). */
export const ZSymbolHit = ZSymbolInfo.extend({ match: z.enum(MATCH_KINDS), tracked: z.boolean() });
sameType<Same<z.infer<typeof ZSymbolHit>, SymbolHit>>();

/** Lowest trigram word similarity a typo-tolerant hit needs (`tencnet` → Tencent scores 0.5). */
const FUZZY_THRESHOLD = 0.45;

const likeEscape = (s: string) => s.replace(/[\\%_]/g, '\\$&');

/**
 * The stored symbols a typed code can mean exactly: `600519` → 600519.SH/.SZ/.BJ, `700`/`0700`/`00700`
 * → 0700.HK and 00700.HK, `aapl` → AAPL, `brk-b` → BRK.B.
 */
export function exactCodeCandidates(query: string): string[] {
  const q = query.trim().toUpperCase();
  const out = new Set<string>();
  let m = /^(\d{6})(?:\.(SH|SZ|BJ))?$/.exec(q);
  if (m) {
    for (const ex of m[2] ? [m[2]] : ['SH', 'SZ', 'BJ']) out.add(`${m[1]}.${ex}`);
  }
  m = /^(\d{1,5})(?:\.HK)?$/.exec(q);
  if (m) {
    const n = m[1]!.replace(/^0+(?=\d)/, '');
    if (n.length <= 4) out.add(`${n.padStart(4, '0')}.HK`);
    out.add(`${n.padStart(5, '0')}.HK`);
  }
  m = /^([A-Z][A-Z0-9]{0,5})(?:[.-]([A-Z]))?$/.exec(q);
  if (m) out.add(m[2] ? `${m[1]}.${m[2]}` : m[1]!);
  return [...out];
}

interface Row {
  market: TMarket;
  symbol: string;
  name: string;
  name_zh: string;
  currency: string;
  exchange: string;
  is_demo: boolean;
  tracked: boolean;
  rank: number;
}

const COLUMNS = 'market, symbol, name, name_zh, currency, exchange, is_demo, tracked';

const toHit = (r: Row): SymbolHit => ({
  market: r.market,
  symbol: r.symbol,
  name: r.name,
  nameZh: r.name_zh,
  currency: r.currency,
  exchange: r.exchange,
  isDemo: r.is_demo,
  tracked: r.tracked,
  match: MATCHES[r.rank] ?? 'fuzzy',
});

/**
 * Symbol search over the whole stored universe, best match first: exact code (600519, 600519.SH, 700,
 * 0700, AAPL, aapl), exact name or pinyin initials, code prefix, name/pinyin-initials prefix (`gzmt` →
 * 贵州茅台), then substring; only when nothing matched as typed, typo-tolerant matches by pg_trgm word
 * similarity. Indexes (migration 0007): text_pattern_ops on lower(symbol), lower(name), name_zh and
 * pinyin (exact and prefix), GIN trigram on search_text (substring and typos). Within a rank, tracked
 * symbols come first, then shorter codes. An empty query lists the tracked symbols.
 */
export async function searchSymbols(
  db: DatabaseHandle,
  query: string,
  opts: { market?: TMarket; limit?: number } = {},
): Promise<SymbolHit[]> {
  const limit = opts.limit ?? 20;
  const raw = query.normalize('NFKC').trim();
  const market = opts.market ?? null;
  if (!raw) {
    const rows = await db.query<Row>(
      `SELECT ${COLUMNS}, 0 AS rank FROM symbols WHERE tracked AND ($1::text IS NULL OR market = $1)
        ORDER BY market, symbol LIMIT $2`,
      [market, limit],
    );
    return rows.map((r) => ({ ...toHit(r), match: 'code' as const }));
  }
  const q = raw.toLowerCase();
  const prefix = `${likeEscape(q)}%`;
  const codes = exactCodeCandidates(raw).map((c) => c.toLowerCase());
  // A: exact code, exact name/pinyin, code prefix, name/pinyin prefix — every arm has an index
  const hits = (
    await db.query<Row>(
      `SELECT ${COLUMNS},
              CASE WHEN lower(symbol) = ANY($3::text[]) THEN 0
                   WHEN lower(name) = $1 OR name_zh = $2 OR pinyin = $1 THEN 1
                   WHEN lower(symbol) LIKE $4 THEN 2
                   ELSE 3 END AS rank
         FROM symbols
        WHERE ($6::text IS NULL OR market = $6)
          AND (lower(symbol) = ANY($3::text[]) OR lower(symbol) LIKE $4 OR pinyin LIKE $4
               OR lower(name) LIKE $4 OR name_zh LIKE $5)
        ORDER BY rank, tracked DESC, length(symbol), symbol
        LIMIT $7`,
      [q, raw, codes, prefix, `${likeEscape(raw)}%`, market, limit],
    )
  ).map(toHit);
  if (hits.length >= limit) return hits;
  // B: substring anywhere in code forms, names or pinyin (trigram index from 3 characters on)
  if ([...q].length >= 2) {
    const more = await db.query<Row>(
      `SELECT ${COLUMNS}, 4 AS rank FROM symbols
        WHERE search_text LIKE $1 AND ($2::text IS NULL OR market = $2) AND NOT (symbol = ANY($3::text[]))
        ORDER BY tracked DESC, length(symbol), symbol
        LIMIT $4`,
      [`%${likeEscape(q)}%`, market, hits.map((h) => h.symbol), limit - hits.length],
    );
    hits.push(...more.map(toHit));
  }
  // C: typo-tolerant, only when nothing matched as typed
  if (hits.length > 0 || [...q].length < 3) return hits;
  const fuzzy = await db.transaction(async (tx) => {
    // the `<%` operator takes this threshold and can use the GIN trigram index
    await tx(`SELECT set_config('pg_trgm.word_similarity_threshold', $1, true)`, [String(FUZZY_THRESHOLD)]);
    // word_similarity on every row is the slow path (≈ 40 µs a row in PGlite); the planner underrates it
    await tx(`SELECT set_config('enable_seqscan', 'off', true)`);
    return tx<Row>(
      `SELECT ${COLUMNS}, 5 AS rank
         FROM symbols
        WHERE $1 <% search_text AND ($2::text IS NULL OR market = $2)
        ORDER BY word_similarity($1, search_text) DESC, tracked DESC, symbol
        LIMIT $3`,
      [q, market, limit],
    );
  });
  return fuzzy.map(toHit);
}
