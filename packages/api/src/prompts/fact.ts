/** A number the narrative may state: its value and how it is displayed (decimals, percent or not). */
export interface Fact {
  key: string;
  label: string;
  value: number;
  /** `pct`: value is a fraction or percentage-point figure shown with a % sign (shown = value × scale). */
  unit: 'plain' | 'pct';
  /** Multiply `value` by this to get the shown figure (100 for fractions shown as %, 1 otherwise). */
  scale: number;
  decimals: number;
}

export function shown(f: Fact): number {
  return f.value * f.scale;
}

export function formatFact(f: Fact): string {
  const v = shown(f);
  const s = v.toLocaleString('en-US', {
    minimumFractionDigits: f.decimals,
    maximumFractionDigits: f.decimals,
    useGrouping: Math.abs(v) >= 10_000,
  });
  return f.unit === 'pct' ? `${s}%` : s;
}
