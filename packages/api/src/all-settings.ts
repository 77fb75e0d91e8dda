/**
 * Importing this module registers every setting. Add one line per module that calls registerSetting().
 */

export * from './notifications/settings';
export * from './providers/settings';
export * from './reports/settings';
export * from './settings/keys';
