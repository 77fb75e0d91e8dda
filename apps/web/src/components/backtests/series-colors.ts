/** Line colours of the backtest charts, shared with the legend (which must not load the chart library). */
export const SERIES_COLORS = { strategy: '#4f8cff', buyHold: '#d9a400', benchmark: '#8a93a6' } as const;
