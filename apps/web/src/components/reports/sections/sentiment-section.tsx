'use client';
import type { SentimentOutput } from '@investiq/api/reports';
import { num, type SectionProps } from './section-frame';

export function SentimentSection({ section, d, lang }: SectionProps) {
  const se = section.output as SentimentOutput;
  return (
    <>
      <p className="small">
        <span className="label-positive">
          {se.counts.positive} {d.positive}
        </span>{' '}
        ·{' '}
        <span className="label-neutral">
          {se.counts.neutral} {d.neutral}
        </span>{' '}
        ·{' '}
        <span className="label-negative">
          {se.counts.negative} {d.negative}
        </span>{' '}
        · {d.netScore} {num(se.netScore, lang)} · {se.model.name} {se.model.version}
      </p>
      <ul className="headlines">
        {se.headlines.map((h) => (
          <li key={h.id} data-testid="headline" data-label={h.label}>
            <span className={`hl-label label-${h.label}`}>{d[h.label]}</span>
            <span className="hl-text">{h.headline}</span>
            <span className="muted small">
              {h.source} · {h.publishedAt.slice(0, 16).replace('T', ' ')}
            </span>
          </li>
        ))}
      </ul>
    </>
  );
}
