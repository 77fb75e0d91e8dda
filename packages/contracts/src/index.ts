export * from './inference';
export * from './market';
export * from './messages';
export * from './type-checks';
