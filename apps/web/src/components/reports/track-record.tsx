'use client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useDict, usePrefs } from '~/lib/i18n';
import { reportsDict } from '~/lib/i18n/reports';
import { useTRPC } from '~/lib/trpc';
import './reports.css';

/** How past forecasts for this symbol fared against realised prices (symbol page). */
export function TrackRecord({ market, symbol }: { market: 'CN' | 'HK' | 'US'; symbol: string }) {
  const trpc = useTRPC();
  const d = useDict(reportsDict);
  const { lang } = usePrefs();
  const tr = useQuery(trpc.reports.trackRecord.queryOptions({ market, symbol }, { retry: false }));
  if (tr.isError) return null; // signed out: the symbol page still works
  const f = (v: number, digits = 1) =>
    v.toLocaleString(lang, { maximumFractionDigits: digits, minimumFractionDigits: digits });
  return (
    <section className="card" data-testid="track-record">
      <div className="card-head">
        <h2>{d.trackRecord}</h2>
        <Link href={`/reports/new?market=${market}&symbol=${encodeURIComponent(symbol)}`}>{d.newReport}</Link>
      </div>
      {tr.data && tr.data.models.length === 0 && <p className="muted small">{d.trackRecordNone}</p>}
      {tr.data && tr.data.models.length > 0 && (
        <table className="rtable">
          <thead>
            <tr>
              <th>{d.modelCol}</th>
              <th>{d.reportsCol}</th>
              <th>{d.mape}</th>
              <th>{d.hitRate}</th>
              <th>{d.coverage}</th>
            </tr>
          </thead>
          <tbody>
            {tr.data.models.map((m) => (
              <tr key={m.model} data-testid={`track-${m.model}`}>
                <td>{m.model === 'arima' ? 'ARIMA' : d.neural}</td>
                <td className="num">{m.reports}</td>
                <td className="num">{f(m.mapePct, 2)}%</td>
                <td className="num">{f(m.directionHitRate * 100, 0)}%</td>
                <td className="small">
                  {m.coverage
                    .map((c) => `${Math.round(c.level * 100)}% → ${f(c.rate * 100, 0)}%`)
                    .join(' · ')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {tr.data && tr.data.pending > 0 && <p className="muted small">{d.pending(tr.data.pending)}</p>}
    </section>
  );
}
