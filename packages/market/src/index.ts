export * from './calendars';
export * from './provider';
export * from './sessions';
