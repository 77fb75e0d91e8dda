// The alert condition kinds, zod-free: the browser's alert forms import this list (`@investiq/api/alerts`);
// `condition.ts` builds its schema over the same list and checks it covers every kind.
export const ALERT_CONDITION_TYPES = [
  'price_above',
  'price_below',
  'change_pct_above',
  'change_pct_below',
  'change_pct_window',
  'volume_spike',
  'rsi_above',
  'rsi_below',
  'ma_cross',
  'macd_cross',
  'report_signal_change',
  'quote_stale',
  'portfolio_drawdown',
] as const;
