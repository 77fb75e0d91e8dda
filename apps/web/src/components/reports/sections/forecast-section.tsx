'use client';
import type { ForecastOutput } from '@investiq/api/reports';
import { num, type SectionProps } from './section-frame';

export function ForecastSection({ section, d, lang }: SectionProps) {
  const fc = section.output as ForecastOutput;
  return (
    <>
      <p className="small muted">
        {fc.model.name} {fc.model.version}
      </p>
      <div className="table-scroll">
        <table className="rtable">
          <thead>
            <tr>
              <th>{d.date}</th>
              <th>{d.point}</th>
              <th>p10</th>
              <th>p90</th>
            </tr>
          </thead>
          <tbody>
            {fc.dates.map((date, i) => (
              <tr key={date}>
                <td>{date}</td>
                <td className="num">{num(fc.point[i], lang)}</td>
                <td className="num">{num(fc.p10[i], lang)}</td>
                <td className="num">{num(fc.p90[i], lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
