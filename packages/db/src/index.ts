export * from './client';
export * from './quotes-storage';
export * as schema from './schema/index';
