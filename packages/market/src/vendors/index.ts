export type { VendorBudget, VendorDescriptor, VendorOptions } from './types';
