export { FinnhubProvider } from './finnhub';
export { type VendorHttpOptions, vendorFetchJson, vendorFetchText } from './http';
export { CN_VENDORS, TENCENT, TUSHARE } from './registry-cn';
export { FINNHUB, YAHOO } from './registry-us';
export { TencentProvider, tencentCode } from './tencent';
export { classifyTushareError, TushareProvider } from './tushare';
export type { VendorBudget, VendorDescriptor, VendorOptions } from './types';
export { toYahooSymbol, YahooProvider } from './yahoo';
