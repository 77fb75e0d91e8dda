import type { TMarket } from '@investiq/contracts';

export interface DemoInstrument {
  market: TMarket;
  symbol: string;
  name: string;
  nameZh: string;
  exchange: string;
  /** Price at the simulation epoch; the path drifts from here. */
  basePrice: number;
  /** Annualised long-run volatility of daily log returns. */
  annualVol: number;
  /** Annualised drift of log prices. */
  annualDrift: number;
  /** Typical shares traded per day. */
  baseVolume: number;
  /** Price tick (minimum price increment) of the venue. */
  tick: number;
}

/**
 * The demo universe. Real company names so the screens read naturally; every price is simulated and the UI
 * labels it as demo data.
 */
export const DEMO_UNIVERSE: readonly DemoInstrument[] = [
  {
    market: 'CN',
    symbol: '600519.SH',
    name: 'Kweichow Moutai',
    nameZh: '贵州茅台',
    exchange: 'SSE',
    basePrice: 1690,
    annualVol: 0.27,
    annualDrift: 0.02,
    baseVolume: 3.2e6,
    tick: 0.01,
  },
  {
    market: 'CN',
    symbol: '601318.SH',
    name: 'Ping An Insurance',
    nameZh: '中国平安',
    exchange: 'SSE',
    basePrice: 48,
    annualVol: 0.3,
    annualDrift: 0.0,
    baseVolume: 6.5e7,
    tick: 0.01,
  },
  {
    market: 'CN',
    symbol: '000001.SZ',
    name: 'Ping An Bank',
    nameZh: '平安银行',
    exchange: 'SZSE',
    basePrice: 11.5,
    annualVol: 0.28,
    annualDrift: -0.01,
    baseVolume: 1.1e8,
    tick: 0.01,
  },
  {
    market: 'CN',
    symbol: '000858.SZ',
    name: 'Wuliangye Yibin',
    nameZh: '五粮液',
    exchange: 'SZSE',
    basePrice: 150,
    annualVol: 0.33,
    annualDrift: 0.01,
    baseVolume: 2.2e7,
    tick: 0.01,
  },
  {
    market: 'CN',
    symbol: '300750.SZ',
    name: 'CATL',
    nameZh: '宁德时代',
    exchange: 'SZSE',
    basePrice: 205,
    annualVol: 0.42,
    annualDrift: 0.05,
    baseVolume: 2.6e7,
    tick: 0.01,
  },
  {
    market: 'HK',
    symbol: '0700.HK',
    name: 'Tencent Holdings',
    nameZh: '腾讯控股',
    exchange: 'HKEX',
    basePrice: 372,
    annualVol: 0.34,
    annualDrift: 0.04,
    baseVolume: 1.8e7,
    tick: 0.2,
  },
  {
    market: 'HK',
    symbol: '9988.HK',
    name: 'Alibaba Group',
    nameZh: '阿里巴巴',
    exchange: 'HKEX',
    basePrice: 86,
    annualVol: 0.4,
    annualDrift: 0.02,
    baseVolume: 4.5e7,
    tick: 0.05,
  },
  {
    market: 'HK',
    symbol: '0005.HK',
    name: 'HSBC Holdings',
    nameZh: '汇丰控股',
    exchange: 'HKEX',
    basePrice: 64,
    annualVol: 0.22,
    annualDrift: 0.03,
    baseVolume: 2.0e7,
    tick: 0.05,
  },
  {
    market: 'HK',
    symbol: '1299.HK',
    name: 'AIA Group',
    nameZh: '友邦保险',
    exchange: 'HKEX',
    basePrice: 62,
    annualVol: 0.29,
    annualDrift: 0.0,
    baseVolume: 2.4e7,
    tick: 0.05,
  },
  {
    market: 'US',
    symbol: 'AAPL',
    name: 'Apple Inc.',
    nameZh: '苹果',
    exchange: 'NASDAQ',
    basePrice: 188,
    annualVol: 0.26,
    annualDrift: 0.08,
    baseVolume: 5.5e7,
    tick: 0.01,
  },
  {
    market: 'US',
    symbol: 'MSFT',
    name: 'Microsoft Corp.',
    nameZh: '微软',
    exchange: 'NASDAQ',
    basePrice: 405,
    annualVol: 0.24,
    annualDrift: 0.09,
    baseVolume: 2.2e7,
    tick: 0.01,
  },
  {
    market: 'US',
    symbol: 'NVDA',
    name: 'NVIDIA Corp.',
    nameZh: '英伟达',
    exchange: 'NASDAQ',
    basePrice: 118,
    annualVol: 0.5,
    annualDrift: 0.15,
    baseVolume: 2.6e8,
    tick: 0.01,
  },
  {
    market: 'US',
    symbol: 'TSLA',
    name: 'Tesla Inc.',
    nameZh: '特斯拉',
    exchange: 'NASDAQ',
    basePrice: 225,
    annualVol: 0.55,
    annualDrift: 0.05,
    baseVolume: 9.5e7,
    tick: 0.01,
  },
];
