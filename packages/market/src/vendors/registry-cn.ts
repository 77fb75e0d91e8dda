import { createTencentProvider, TENCENT_DEFAULT_BASE_URL, TENCENT_ID } from './tencent';
import { createTushareProvider, TUSHARE_DEFAULT_BASE_URL, TUSHARE_ID } from './tushare';
import type { VendorDescriptor } from './types';

/**
 * Tushare Pro. Limits depend on the account's points (https://tushare.pro/document/1?doc_id=108); the
 * default budget is the 120-point tier a new account gets (about 50 calls/minute and 8000/day for the
 * basic APIs). `fina_indicator`/`income`/`balancesheet` need 2000 points: below that, fundamentals
 * fail over with `forbidden`. No realtime quotes.
 */
export const TUSHARE: VendorDescriptor = {
  id: TUSHARE_ID,
  label: 'Tushare Pro',
  markets: ['CN'],
  kinds: ['bars', 'fundamentals', 'universe'],
  needsKey: true,
  keyField: 'tushare',
  keyEnv: 'TUSHARE_TOKEN',
  defaultBaseUrl: TUSHARE_DEFAULT_BASE_URL,
  baseUrlEnv: 'TUSHARE_BASE_URL',
  budget: { perMinute: 50, perDay: 8000 },
  formatSource:
    'https://github.com/waditu/tushare/blob/master/tushare/pro/client.py (POST api_name/token/params/fields)',
  create: createTushareProvider,
};

/**
 * Tencent quotes (qt.gtimg.cn), keyless. No published limit: the budget is a polite default (one batch
 * of up to 60 codes a second at most). HK quotes are declared 15 minutes delayed.
 */
export const TENCENT: VendorDescriptor = {
  id: TENCENT_ID,
  label: 'Tencent quotes (qt.gtimg.cn)',
  markets: ['CN', 'HK'],
  kinds: ['quotes'],
  needsKey: false,
  defaultBaseUrl: TENCENT_DEFAULT_BASE_URL,
  baseUrlEnv: 'TENCENT_BASE_URL',
  budget: { perMinute: 60, perDay: 0 },
  formatSource: 'https://github.com/shidenggui/easyquotation/blob/master/easyquotation/tencent.py',
  create: createTencentProvider,
};

export const CN_VENDORS: readonly VendorDescriptor[] = [TUSHARE, TENCENT];
