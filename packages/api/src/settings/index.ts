export * from './crypto';
export * from './keys';
export * from './registry';
export * from './service';
