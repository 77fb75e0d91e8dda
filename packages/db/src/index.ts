export * from './client';
export * from './quotes-storage';
export { PRICE_COLUMN } from './schema/columns';
export * as schema from './schema/index';
