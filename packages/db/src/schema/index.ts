export * from './api-tokens';
export * from './daily-bars';
export * from './meta';
export * from './realtime-quotes';
export * from './symbols';
