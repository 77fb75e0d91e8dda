'use client';
import type { NarrativeOutput } from '@investiq/api/reports';
import type { ReactNode } from 'react';
import type { SectionProps } from './section-frame';

/** The narrative: streamed text while the LLM writes, then the text with ungrounded numbers marked. */
export function NarrativeSection({ section: s, d }: SectionProps) {
  const out = s.output as
    | (NarrativeOutput & { streaming?: undefined })
    | { text: string; streaming: true }
    | null;
  if (!out) return null;
  if ('streaming' in out && out.streaming) {
    return (
      <div className="narrative" data-testid="narrative-text" data-streaming="true">
        <p className="muted small">{d.streaming}</p>
        <div className="narrative-text">{out.text}</div>
      </div>
    );
  }
  const n = out as NarrativeOutput;
  const parts: ReactNode[] = [];
  let at = 0;
  for (const u of [...n.grounding.unmatched].sort((a, b) => a.start - b.start)) {
    parts.push(n.text.slice(at, u.start));
    parts.push(
      <mark key={u.start} className="ungrounded" title={d.ungroundedMark} data-testid="ungrounded">
        {n.text.slice(u.start, u.end)}
      </mark>,
    );
    at = u.end;
  }
  parts.push(n.text.slice(at));
  const ok = n.grounding.numbers - n.grounding.unmatched.length;
  return (
    <div className="narrative" data-testid="narrative-text" data-writer={n.writer}>
      <p className="muted small" data-testid="narrative-writer">
        {n.writer === 'llm'
          ? d.writtenByLlm(n.model ?? '')
          : n.llmError
            ? d.llmFailed(n.llmError)
            : d.writtenWithoutLlm}{' '}
        <span data-testid="grounding-summary" data-unmatched={n.grounding.unmatched.length}>
          {d.grounding(ok, n.grounding.numbers)}
        </span>
      </p>
      <div className="narrative-text">{parts}</div>
    </div>
  );
}
