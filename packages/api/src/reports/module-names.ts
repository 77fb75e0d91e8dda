// The one list of report modules (see types.ts). No zod here: the web's report form imports the module list (through `@investiq/api/reports`) into the browser.
export const REPORT_MODULES = [
  'profile',
  'indicators',
  'statistics',
  'forecast',
  'sentiment',
  'narrative',
] as const;
