export function fmtPct(v: number | null | undefined, lang: string, digits = 2): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return `${(v * 100).toLocaleString(lang, { minimumFractionDigits: digits, maximumFractionDigits: digits })}%`;
}

export function fmtNum(v: number | null | undefined, lang: string, digits = 2): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return v.toLocaleString(lang, { minimumFractionDigits: digits, maximumFractionDigits: digits });
}
