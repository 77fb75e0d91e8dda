export * from './inference';
export * from './market';
