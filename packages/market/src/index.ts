export * from './calendars';
export * from './chain';
export * from './provider';
export * from './sessions';
