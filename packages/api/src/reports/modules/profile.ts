import { hasPrice, type TLatestQuote } from '@investiq/contracts';
import type { DataProvider, Fundamentals, Sourced, SymbolRef } from '@investiq/market';
import { getLatestQuote } from '../../quotes/get-latest-quotes';
import { lastBarDate, type ModuleContext, type ModuleResult } from '../context';
import { describeFailure } from '../inference-gateway';
import { n, pct } from '../markdown-format';
import { type AddFact, defineModule, type WriterTools } from '../module';

export interface ProfileOutput {
  name: string;
  nameZh: string;
  currency: string;
  exchange: string;
  isDemo: boolean;
  quote: TLatestQuote | null;
  lastClose: number | null;
  lastCloseDate: string | null;
  change1dPct: number | null;
  high52w: number | null;
  low52w: number | null;
  return1yPct: number | null;
  fundamentals: Fundamentals | null;
  fundamentalsNote?: string;
  /** The provider that delivered the fundamentals (lineage). */
  fundamentalsSource?: string | null;
}

const changePct = (a: number, b: number) => (a / b - 1) * 100;

/** Fundamentals and who delivered them: a chain says which provider answered, a plain provider is its own source. */
async function fundamentalsWithSource(
  provider: DataProvider,
  ref: SymbolRef,
): Promise<Sourced<Fundamentals>> {
  const p = provider as DataProvider & {
    getFundamentalsSourced?: (r: SymbolRef) => Promise<Sourced<Fundamentals>>;
  };
  if (typeof p.getFundamentalsSourced === 'function') return p.getFundamentalsSourced(ref);
  return { source: provider.id, value: await provider.getFundamentals!(ref) };
}

/** Profile & fundamentals: symbol facts, price statistics from stored bars, live quote, provider fundamentals. */
async function runProfile(
  ctx: ModuleContext<undefined>,
  signal: AbortSignal,
): Promise<ModuleResult<ProfileOutput>> {
  const bars = ctx.bars;
  const last = bars.at(-1);
  const prev = bars.at(-2);
  const year = bars.slice(-252);
  const quote = ctx.backtestAsOf
    ? null
    : await getLatestQuote(
        ctx.db,
        { market: ctx.market, symbol: ctx.symbol },
        ctx.quoteMaxAgeSeconds,
        ctx.now(),
        ctx.quoteFreshness,
      );
  let fundamentals: Fundamentals | null = null;
  let fundamentalsNote: string | undefined;
  let fundamentalsSource: string | null = null;
  const provider = ctx.provider;
  if (!provider.getFundamentals) {
    fundamentalsNote = `provider '${provider.id}' does not supply fundamentals`;
  } else {
    try {
      const res = await ctx.providerPolicy.policy.execute(
        () => fundamentalsWithSource(provider, { market: ctx.market, symbol: ctx.symbol }),
        signal,
      );
      fundamentals = res.value;
      fundamentalsSource = res.source;
    } catch (err) {
      fundamentalsNote = `fundamentals unavailable: ${describeFailure(`provider ${provider.id}`, err)}`;
    }
  }
  const output: ProfileOutput = {
    ...ctx.symbolInfo,
    quote,
    lastClose: last?.close ?? null,
    lastCloseDate: last?.time ?? null,
    change1dPct: last && prev ? changePct(last.close, prev.close) : null,
    high52w: year.length ? Math.max(...year.map((b) => b.high)) : null,
    low52w: year.length ? Math.min(...year.map((b) => b.low)) : null,
    return1yPct: year.length > 1 && last ? changePct(last.close, year[0]!.close) : null,
    fundamentals,
    ...(fundamentalsNote ? { fundamentalsNote } : {}),
    fundamentalsSource,
  };
  return {
    output,
    inputsAsOf: {
      dailyBars: lastBarDate(ctx),
      quote: hasPrice(quote) ? quote.quote.ts : quote?.status === 'stale' ? quote.lastSeenAt : null,
      fundamentals: fundamentals?.asOf ?? null,
    },
  };
}

function profileFacts(p: ProfileOutput, add: AddFact, zh: boolean): void {
  add('lastClose', ['last close', '最新收盘价'], p.lastClose);
  add('change1dPct', ['1-day change', '日涨跌幅'], p.change1dPct, { pct: true });
  add('high52w', ['52-week high', '52周最高'], p.high52w);
  add('low52w', ['52-week low', '52周最低'], p.low52w);
  add('return1yPct', ['1-year return', '一年回报'], p.return1yPct, { pct: true, decimals: 1 });
  if (p.quote?.status === 'fresh' || p.quote?.status === 'delayed')
    add('quotePrice', ['live price', '实时价格'], p.quote.quote.price);
  if (p.quote?.status === 'closed')
    add('quotePrice', ['last price before the close', '收盘前最新价'], p.quote.quote.price);
  const f = p.fundamentals;
  if (f) {
    add('fiscalYear', ['fiscal year', '财年'], Number(f.fiscalPeriodEnd.slice(0, 4)), { decimals: 0 });
    add('pe', ['P/E', '市盈率'], f.ratios.pe);
    add('pb', ['P/B', '市净率'], f.ratios.pb);
    add('roe', ['ROE', '净资产收益率'], f.ratios.roe, { pct: true, scale: 100, decimals: 1 });
    add('grossMargin', ['gross margin', '毛利率'], f.ratios.grossMargin, {
      pct: true,
      scale: 100,
      decimals: 1,
    });
    add('operatingMargin', ['operating margin', '营业利润率'], f.ratios.operatingMargin, {
      pct: true,
      scale: 100,
      decimals: 1,
    });
    add('netMargin', ['net margin', '净利率'], f.ratios.netMargin, { pct: true, scale: 100, decimals: 1 });
    add('revenueGrowth', ['revenue growth', '营收增长'], f.ratios.revenueGrowth, {
      pct: true,
      scale: 100,
      decimals: 1,
    });
    add('earningsGrowth', ['earnings growth', '利润增长'], f.ratios.earningsGrowth, {
      pct: true,
      scale: 100,
      decimals: 1,
    });
    add('debtToEquity', ['debt/equity', '负债权益比'], f.ratios.debtToEquity);
    add('revenue', [`revenue (billion ${f.currency})`, `营业收入（亿${f.currency}）`], f.income.revenue, {
      scale: zh ? 1e-8 : 1e-9,
    });
    add(
      'netIncome',
      [`net income (billion ${f.currency})`, `净利润（亿${f.currency}）`],
      f.income.netIncome,
      {
        scale: zh ? 1e-8 : 1e-9,
      },
    );
    add('eps', ['EPS', '每股收益'], f.income.eps);
  }
}

function writeProfile(p: ProfileOutput, w: WriterTools): string[] {
  const { zh, has, F, abs, sign, currency: ccy, symbol } = w;
  const name = zh ? p.nameZh : p.name;
  const out: string[] = [];
  if (has('lastClose')) {
    let s = zh
      ? `${name}（${symbol}）最新收盘价 ${F('lastClose')} ${ccy}（${p.lastCloseDate}）`
      : `${name} (${symbol}) last closed at ${F('lastClose')} ${ccy} on ${p.lastCloseDate}`;
    if (has('change1dPct'))
      s += zh
        ? `，当日${sign('change1dPct') ? '上涨' : '下跌'} ${abs('change1dPct')}`
        : `, ${sign('change1dPct') ? 'up' : 'down'} ${abs('change1dPct')} on the day`;
    if (has('return1yPct', 'low52w', 'high52w'))
      s += zh
        ? `；近一年回报 ${F('return1yPct')}，区间 ${F('low52w')}–${F('high52w')}。`
        : `; over the past year it returned ${F('return1yPct')}, trading between ${F('low52w')} and ${F('high52w')}.`;
    else s += zh ? '。' : '.';
    if (p.quote && p.quote.status !== 'fresh')
      s += zh
        ? ' 注意：当前没有新鲜的实时报价，以上为收盘数据。'
        : ' Note: there is no fresh live quote right now; figures above are closing data.';
    out.push(s);
  }
  if (has('pe', 'roe', 'netMargin', 'revenueGrowth')) {
    const demo = p.fundamentals?.isDemo ? (zh ? '（演示数据）' : ' (demo figures)') : '';
    out.push(
      zh
        ? `基本面${demo}：市盈率 ${F('pe')}，市净率 ${has('pb') ? F('pb') : '—'}，净资产收益率 ${F('roe')}，净利率 ${F('netMargin')}，营收增长 ${F('revenueGrowth')}，利润增长 ${has('earningsGrowth') ? F('earningsGrowth') : '—'}。`
        : `Fundamentals${demo}: P/E ${F('pe')}, P/B ${has('pb') ? F('pb') : '—'}, ROE ${F('roe')}, net margin ${F('netMargin')}, revenue growth ${F('revenueGrowth')}, earnings growth ${has('earningsGrowth') ? F('earningsGrowth') : '—'}.`,
    );
  }
  return out;
}

function profileMarkdown(p: ProfileOutput): string[] {
  const L: string[] = [];
  const q = p.quote;
  const qs =
    q?.status === 'fresh'
      ? `${n(q.quote.price)} ${p.currency} (fresh, ${q.quote.ts})`
      : q?.status === 'delayed'
        ? `${n(q.quote.price)} ${p.currency} (delayed ${Math.round(q.delaySeconds / 60)} min, ${q.quote.ts})`
        : q?.status === 'closed'
          ? `${n(q.quote.price)} ${p.currency} (market closed — last price of the session ending ${q.closedSince}; next open ${q.nextOpen})`
          : q?.status === 'stale'
            ? `stale — last seen ${q.lastSeenAt}; not shown as current`
            : q?.status === 'missing'
              ? 'no quote received'
              : 'historical report (no live quote)';
  L.push('| Metric | Value |', '|---|---|');
  L.push(`| Live quote | ${qs} |`);
  L.push(`| Last close (${p.lastCloseDate ?? '—'}) | ${n(p.lastClose)} ${p.currency} |`);
  L.push(`| 1-day change | ${pct(p.change1dPct, 2)} |`);
  L.push(`| 52-week range | ${n(p.low52w)} – ${n(p.high52w)} |`);
  L.push(`| 1-year return | ${pct(p.return1yPct)} |`);
  const f = p.fundamentals;
  if (f) {
    L.push(`| Fiscal period | ${f.fiscalPeriodEnd} (published ${f.asOf.slice(0, 10)}) |`);
    L.push(`| P/E · P/B | ${n(f.ratios.pe)} · ${n(f.ratios.pb)} |`);
    L.push(`| ROE | ${pct(f.ratios.roe * 100)} |`);
    L.push(
      `| Gross / operating / net margin | ${pct(f.ratios.grossMargin * 100)} / ${pct(f.ratios.operatingMargin * 100)} / ${pct(f.ratios.netMargin * 100)} |`,
    );
    L.push(
      `| Revenue / earnings growth | ${pct(f.ratios.revenueGrowth * 100)} / ${pct(f.ratios.earningsGrowth * 100)} |`,
    );
    L.push(
      `| Revenue · net income | ${n(f.income.revenue / 1e9)} bn · ${n(f.income.netIncome / 1e9)} bn ${f.currency} |`,
    );
    L.push(`| Debt / equity | ${n(f.ratios.debtToEquity)} |`);
  } else if (p.fundamentalsNote) L.push(`| Fundamentals | ${p.fundamentalsNote} |`);
  return L;
}

/** Profile & fundamentals: no service, no parameters; its output also names the security for the others. */
export const profileModule = defineModule({
  name: 'profile',
  deps: [],
  services: [],
  params: null,
  run: runProfile,
  facts: profileFacts,
  write: writeProfile,
  sources: {
    inputs: ['quote', 'fundamentals'],
    of: (p) => ({
      quote: hasPrice(p.quote) ? p.quote.quote.source : null,
      fundamentals: p.fundamentalsSource ?? null,
    }),
  },
  markdown: { title: 'Profile & fundamentals', body: profileMarkdown },
});
