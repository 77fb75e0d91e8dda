'use client';
import type { ProfileOutput, StatisticsOutput } from '@investiq/api/reports';
import { Metric, num, okOutput, pct, type SectionProps } from './section-frame';

export function StatisticsSection({ report, section, d, lang }: SectionProps) {
  const st = section.output as StatisticsOutput;
  const ccy = okOutput<ProfileOutput>(report, 'profile')?.currency ?? '';
  return (
    <>
      {st.arima ? (
        <>
          <p className="small">
            ARIMA({st.arima.order.join(',')}) · AICc {num(st.arima.aicc, lang, 1)}
          </p>
          <div className="table-scroll">
            <table className="rtable">
              <thead>
                <tr>
                  <th>{d.date}</th>
                  <th>{d.forecast}</th>
                  {st.arima.intervals.map((iv) => (
                    <th key={iv.level}>{d.interval(Math.round(iv.level * 100))}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {st.arima.dates.map((date, i) => (
                  <tr key={date}>
                    <td>{date}</td>
                    <td className="num">{num(st.arima!.forecast[i], lang)}</td>
                    {st.arima!.intervals.map((iv) => (
                      <td key={iv.level} className="num">
                        {num(iv.lower[i], lang)} – {num(iv.upper[i], lang)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : (
        <p className="rsection-error">ARIMA: {st.arimaError}</p>
      )}
      {st.garch ? (
        <div className="rmetrics">
          <Metric label={d.annualVol} value={pct(st.garch.annualVolPct, lang)} />
          <Metric label={d.forecastVol} value={pct(st.garch.forecastAnnualVolPct, lang)} />
          <Metric label={d.persistence} value={num(st.garch.persistence, lang, 3)} />
          {st.garch.var.map((v) => (
            <Metric
              key={v.level}
              label={d.var1d(Math.round(v.level * 100))}
              value={`${pct(v.pct, lang, 2)} · ${num(v.amount, lang)} ${ccy} ${d.perShare}`}
            />
          ))}
        </div>
      ) : (
        <p className="rsection-error">GARCH: {st.garchError}</p>
      )}
    </>
  );
}
