import type { TMarket, TSymbolInfo } from '@investiq/contracts';

const info = (market: TMarket, symbol: string, name: string, nameZh: string): TSymbolInfo => ({
  market,
  symbol,
  name,
  nameZh,
  currency: market === 'CN' ? 'CNY' : market === 'HK' ? 'HKD' : 'USD',
  exchange: market === 'US' ? 'NASDAQ' : market === 'HK' ? 'HKEX' : symbol.endsWith('.SH') ? 'SSE' : 'SZSE',
  isDemo: false,
});

/** Real listed names (codes and names as the exchanges list them), for search expectations. */
export const KNOWN_NAMES: TSymbolInfo[] = [
  info('CN', '600519.SH', 'Kweichow Moutai', '贵州茅台'),
  info('CN', '000858.SZ', 'Wuliangye Yibin', '五粮液'),
  info('CN', '000001.SZ', 'Ping An Bank', '平安银行'),
  info('CN', '601318.SH', 'Ping An Insurance', '中国平安'),
  info('CN', '600036.SH', 'China Merchants Bank', '招商银行'),
  info('CN', '300750.SZ', 'CATL', '宁德时代'),
  info('CN', '601963.SH', 'Bank of Chongqing', '重庆银行'),
  info('CN', '000100.SZ', 'TCL Technology', 'TCL科技'),
  info('HK', '0700.HK', 'Tencent Holdings', '腾讯控股'),
  info('HK', '9988.HK', 'Alibaba Group', '阿里巴巴-W'),
  info('HK', '0005.HK', 'HSBC Holdings', '汇丰控股'),
  info('US', 'AAPL', 'Apple Inc.', '苹果'),
  info('US', 'MSFT', 'Microsoft Corp', '微软'),
  info('US', 'BRK.B', 'Berkshire Hathaway Inc. Class B', '伯克希尔-B'),
  info('US', 'TSLA', 'Tesla Inc', '特斯拉'),
];

// initials b/f/d/k/n/r/s/x only, so synthetic names never start like the known ones above
const HANZI = '北发东开南瑞森新博丰达凯';

/** `n` synthetic names per market (deterministic): the bulk of a realistic universe. */
export function syntheticUniverse(n: number): Record<TMarket, TSymbolInfo[]> {
  const zh = (i: number) =>
    `${HANZI[i % 12]}${HANZI[Math.floor(i / 12) % 12]}${HANZI[Math.floor(i / 144) % 12]}${HANZI[Math.floor(i / 1728) % 12]}股份`;
  const letters = (i: number, len: number) => {
    let s = '';
    for (let k = 0; k < len; k++, i = Math.floor(i / 26)) s += String.fromCharCode(65 + (i % 26));
    return s;
  };
  const out: Record<TMarket, TSymbolInfo[]> = { CN: [], HK: [], US: [] };
  for (let i = 0; i < n; i++) {
    const sh = i % 2 === 0;
    out.CN.push(
      info(
        'CN',
        `${sh ? 68 : 30}${String(1000 + i).padStart(4, '0')}.${sh ? 'SH' : 'SZ'}`,
        `Synthetic CN ${i}`,
        zh(i),
      ),
    );
    out.HK.push(info('HK', `${String(20000 + i)}.HK`, `Synthetic HK ${i}`, zh(i + 7)));
    out.US.push(info('US', `Q${letters(i, 4)}`, `Synthetic US ${i}`, ''));
  }
  return out;
}
