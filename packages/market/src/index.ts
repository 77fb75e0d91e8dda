export * from './provider';
export * from './sessions';
