import { FINNHUB_DEFAULT_BASE_URL, FINNHUB_ID, FinnhubProvider } from './finnhub';
import type { VendorDescriptor } from './types';
import { YAHOO_DEFAULT_BASE_URL, YAHOO_ID, YahooProvider } from './yahoo';

/**
 * Finnhub (US). Budget: the free plan's published 60 calls/minute (plus a 30 calls/second ceiling on every
 * plan, which 60/min never reaches); Finnhub documents no daily cap, so perDay is 0 (none).
 * A fundamentals read costs 3 calls (profile2, metric, financials-reported); quotes cost 1 per symbol.
 */
export const FINNHUB: VendorDescriptor = {
  id: FINNHUB_ID,
  label: 'Finnhub',
  markets: ['US'],
  kinds: ['quotes', 'bars', 'fundamentals', 'news', 'universe'],
  needsKey: true,
  keyField: 'finnhub',
  keyEnv: 'FINNHUB_API_KEY',
  defaultBaseUrl: FINNHUB_DEFAULT_BASE_URL,
  baseUrlEnv: 'FINNHUB_BASE_URL',
  budget: { perMinute: 60, perDay: 0 },
  formatSource:
    'https://finnhub.io/docs/api (quote, stock-candles, company-profile2, company-basic-financials, financials-reported, company-news, stock-symbols, symbol-search); models in github.com/Finnhub-Stock-API/finnhub-js docs/',
  create: (opts) => new FinnhubProvider(opts),
};

/**
 * Yahoo Finance chart API (CN, HK, US; no key). Yahoo publishes neither an API nor a quota and throttles
 * bursts with HTTP 429, so the budget is deliberately conservative: 30 calls/minute (one chart per symbol,
 * so a 30-name watchlist refreshes once a minute) and 5,000 a day.
 */
export const YAHOO: VendorDescriptor = {
  id: YAHOO_ID,
  label: 'Yahoo Finance',
  markets: ['CN', 'HK', 'US'],
  kinds: ['quotes', 'bars'],
  needsKey: false,
  defaultBaseUrl: YAHOO_DEFAULT_BASE_URL,
  baseUrlEnv: 'YAHOO_BASE_URL',
  budget: { perMinute: 30, perDay: 5000 },
  formatSource:
    'github.com/gadicc/yahoo-finance2 tests/fixtures/http/chart-*.json (recorded /v8/finance/chart responses)',
  create: (opts) => new YahooProvider(opts),
};
