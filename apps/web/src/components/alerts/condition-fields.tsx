'use client';
import { ALERT_CONDITION_TYPES } from '@investiq/api/alerts';
import type { alertsDict } from '~/lib/i18n/alerts';

export const CONDITION_TYPES = ALERT_CONDITION_TYPES;
export type ConditionType = (typeof CONDITION_TYPES)[number];

type Dict = (typeof alertsDict)['en'];
type FieldKind = 'number' | 'int' | 'optionalInt' | 'direction' | 'to' | 'portfolio';
interface Field {
  name: string;
  kind: FieldKind;
  default?: string;
}

const value = (d?: string): Field => ({ name: 'value', kind: 'number', ...(d ? { default: d } : {}) });
const int = (name: string, d: string): Field => ({ name, kind: 'int', default: d });

/** The form fields of each condition kind (the API's `condition` object, field by field). */
export const CONDITION_FIELDS: Record<ConditionType, Field[]> = {
  price_above: [value()],
  price_below: [value()],
  change_pct_above: [value()],
  change_pct_below: [value()],
  change_pct_window: [int('windowMinutes', '15'), value('2')],
  volume_spike: [{ name: 'multiple', kind: 'number', default: '2' }, int('lookbackDays', '20')],
  rsi_above: [value('70'), int('period', '14')],
  rsi_below: [value('30'), int('period', '14')],
  ma_cross: [int('fast', '20'), int('slow', '50'), { name: 'direction', kind: 'direction', default: 'up' }],
  macd_cross: [
    int('fast', '12'),
    int('slow', '26'),
    int('signal', '9'),
    { name: 'direction', kind: 'direction', default: 'up' },
  ],
  report_signal_change: [{ name: 'to', kind: 'to', default: 'any' }],
  quote_stale: [{ name: 'maxAgeSeconds', kind: 'optionalInt' }],
  portfolio_drawdown: [
    { name: 'portfolioId', kind: 'portfolio' },
    { name: 'limitPct', kind: 'number', default: '10' },
    int('lookbackDays', '365'),
  ],
};

export const defaultsOf = (t: ConditionType): Record<string, string> =>
  Object.fromEntries(CONDITION_FIELDS[t].map((f) => [f.name, f.default ?? '']));

const label = (d: Dict, name: string) => (d as unknown as Record<string, string>)[`field_${name}`] ?? name;

/** The condition object from the form, or the first problem in the user's language. */
export function buildCondition(
  d: Dict,
  type: ConditionType,
  values: Record<string, string>,
): { condition: Record<string, unknown> } | { error: string } {
  const condition: Record<string, unknown> = { type };
  for (const f of CONDITION_FIELDS[type]) {
    const raw = (values[f.name] ?? '').trim();
    const name = label(d, f.name);
    if (f.kind === 'optionalInt' && raw === '') continue;
    if (raw === '') return { error: d.errRequired(name) };
    if (f.kind === 'number' || f.kind === 'int' || f.kind === 'optionalInt') {
      const n = Number(raw);
      if (!Number.isFinite(n)) return { error: d.errNumber(name) };
      if (f.kind !== 'number' && !Number.isInteger(n)) return { error: d.errInteger(name) };
      condition[f.name] = n;
    } else condition[f.name] = raw;
  }
  if (
    typeof condition.fast === 'number' &&
    typeof condition.slow === 'number' &&
    condition.fast >= condition.slow
  )
    return { error: d.errFastSlow };
  return { condition };
}

/** The inputs of one condition kind. */
export function ConditionFields({
  d,
  type,
  values,
  onChange,
  portfolios,
}: {
  d: Dict;
  type: ConditionType;
  values: Record<string, string>;
  onChange: (name: string, v: string) => void;
  portfolios: { id: string; name: string }[];
}) {
  const hint = (d as unknown as Record<string, string>)[`hint_${type}`];
  return (
    <>
      {CONDITION_FIELDS[type].map((f) => (
        <label key={f.name} htmlFor={`alert-input-${f.name}`}>
          {label(d, f.name)}{' '}
          {f.kind === 'direction' || f.kind === 'to' || f.kind === 'portfolio' ? (
            <select
              id={`alert-input-${f.name}`}
              data-testid={`alert-field-${f.name}`}
              value={values[f.name] ?? ''}
              onChange={(e) => onChange(f.name, e.target.value)}
            >
              {f.kind === 'direction'
                ? (['up', 'down'] as const).map((o) => (
                    <option key={o} value={o}>
                      {d[o]}
                    </option>
                  ))
                : f.kind === 'to'
                  ? (['any', 'bullish', 'neutral', 'bearish'] as const).map((o) => (
                      <option key={o} value={o}>
                        {d[o]}
                      </option>
                    ))
                  : [
                      <option key="" value="">
                        {portfolios.length ? '—' : d.noPortfolios}
                      </option>,
                      ...portfolios.map((p) => (
                        <option key={p.id} value={p.id}>
                          {p.name}
                        </option>
                      )),
                    ]}
            </select>
          ) : (
            <input
              id={`alert-input-${f.name}`}
              data-testid={f.name === 'value' ? 'alert-value' : `alert-field-${f.name}`}
              type="number"
              step={f.kind === 'number' ? 'any' : '1'}
              value={values[f.name] ?? ''}
              onChange={(e) => onChange(f.name, e.target.value)}
            />
          )}
        </label>
      ))}
      {hint ? <small className="hint">{hint}</small> : null}
    </>
  );
}
