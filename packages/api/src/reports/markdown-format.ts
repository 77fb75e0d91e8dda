/** Number formatting of the Markdown export (always en-US: the file is shared, not localised). */
export const n = (v: number | null | undefined, d = 2) =>
  v === null || v === undefined || !Number.isFinite(v)
    ? '—'
    : v.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

export const pct = (v: number | null | undefined, d = 1) =>
  v === null || v === undefined ? '—' : `${n(v, d)}%`;
