export { CN_VENDORS, TENCENT, TUSHARE } from './registry-cn';
export { TencentProvider, tencentCode } from './tencent';
export { classifyTushareError, TushareProvider } from './tushare';
export type { VendorBudget, VendorDescriptor, VendorOptions } from './types';
