export { FinnhubProvider } from './finnhub';
export { type VendorHttpOptions, vendorFetchJson, vendorFetchText } from './http';
export { FINNHUB, YAHOO } from './registry-us';
export type { VendorBudget, VendorDescriptor, VendorOptions } from './types';
export { toYahooSymbol, YahooProvider } from './yahoo';
