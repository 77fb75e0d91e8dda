const ZONES: Record<string, string> = { CN: 'Asia/Shanghai', HK: 'Asia/Hong_Kong', US: 'America/New_York' };

export function formatPrice(v: number | null | undefined, lang: string): string {
  if (v === null || v === undefined) return '—';
  return v.toLocaleString(lang, { minimumFractionDigits: 2, maximumFractionDigits: v < 10 ? 3 : 2 });
}

export function formatChange(v: number | null | undefined, lang: string, pct = false): string {
  if (v === null || v === undefined) return '—';
  const s = v.toLocaleString(lang, {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
    signDisplay: 'exceptZero',
  });
  return pct ? `${s}%` : s;
}

export function formatVolume(v: number | null | undefined, lang: string): string {
  if (v === null || v === undefined) return '—';
  return v.toLocaleString(lang, { notation: 'compact', maximumFractionDigits: 2 });
}

/** Time in the market's own zone, with the zone named, e.g. "14:02:11 CST". */
export function formatMarketTime(iso: string, market: string, lang: string): string {
  return new Date(iso).toLocaleTimeString(lang, {
    timeZone: ZONES[market] ?? 'UTC',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
    timeZoneName: 'short',
  });
}

/** Weekday, date and time in the market's own zone, e.g. "Wed 5 Feb, 09:30 CST" (next open, closed since). */
export function formatMarketDateTime(iso: string, market: string, lang: string): string {
  return new Date(iso).toLocaleString(lang, {
    timeZone: ZONES[market] ?? 'UTC',
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
    timeZoneName: 'short',
  });
}

export function marketZone(market: string): string {
  return ZONES[market] ?? 'UTC';
}

/** Date and time in the reader's own zone, written in the UI language (not the browser's locale). */
export function formatDateTime(iso: string | number | Date, lang: string): string {
  return new Date(iso).toLocaleString(lang, { hour12: false });
}

/** Time of day in the reader's own zone, in the UI language. */
export function formatTime(iso: string | number | Date, lang: string): string {
  return new Date(iso).toLocaleTimeString(lang, { hour12: false });
}
