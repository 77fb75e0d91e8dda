'use client';
import type { IndicatorsOutput } from '@investiq/api/reports';
import { num, type SectionProps } from './section-frame';

export function IndicatorsSection({ section, lang }: SectionProps) {
  const ind = section.output as IndicatorsOutput;
  return (
    <table className="rtable">
      <tbody>
        {Object.entries(ind.latest).map(([k, v]) => (
          <tr key={k}>
            <th>{k}</th>
            <td className="num">{num(v, lang, k.startsWith('macd') ? 3 : 2)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
