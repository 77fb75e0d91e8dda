export * from './inference';
export * from './market';
export * from './messages';
export * from './quote-status';
export * from './type-checks';
