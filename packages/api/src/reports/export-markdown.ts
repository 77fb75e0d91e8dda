import { MODULE_LIST } from './modules';
import type { ProfileOutput, ReportView } from './types';

/** The whole report as Markdown: key figures, every module's section (its `markdown`) with its state, lineage. */
export function reportToMarkdown(r: ReportView): string {
  const sec = (m: string) => r.sections.find((s) => s.module === m);
  const ok = <T>(m: string): T | null => {
    const s = sec(m);
    return s?.status === 'ok' ? (s.output as T) : null;
  };
  const state = (m: string) => {
    const s = sec(m);
    if (!s) return '_not requested_';
    if (s.status === 'ok') return '';
    return `_${s.status}${s.error ? `: ${s.error}` : ''}_`;
  };
  const L: string[] = [];
  const p = ok<ProfileOutput>('profile');
  L.push(`# ${p ? `${p.name} · ${p.nameZh} ` : ''}(${r.market}:${r.symbol}) — InvestIQ report`);
  L.push('');
  L.push(
    `- Report: \`${r.id}\` · status **${r.status}** · created ${r.createdAt}${r.createdBy ? ` by ${r.createdBy}` : ''}`,
  );
  if (r.durationMs !== null)
    L.push(
      `- Took ${r.durationMs} ms · degraded sections: ${r.degradedSections} · ungrounded numbers in narrative: ${r.ungroundedNumbers ?? '—'}`,
    );
  if (p?.isDemo)
    L.push('- **Demo data**: prices, fundamentals and news are simulated by the built-in demo market.');
  if (r.error) L.push(`- Error: ${r.error}`);
  L.push('');
  for (const m of MODULE_LIST) {
    const s = sec(m.name);
    if (!s) continue;
    L.push(`## ${m.markdown.title}`, '');
    if (s.status === 'ok') L.push(...m.markdown.body(s.output));
    else L.push(state(m.name));
    L.push('');
  }
  L.push('## Sections', '', '| Module | Status | Time | Inputs as of | Note |', '|---|---|---|---|---|');
  for (const s of r.sections)
    L.push(
      `| ${s.module} | ${s.status} | ${s.durationMs ?? '—'} ms | ${
        Object.entries(s.inputsAsOf ?? {})
          .map(([k, v]) => `${k}: ${v ?? '—'}`)
          .join('; ') || '—'
      } | ${s.error ?? ''} |`,
    );
  L.push('');
  if (r.lineage) {
    const lg = r.lineage;
    L.push('## Lineage', '');
    L.push(
      `- Provider: ${lg.provider}${lg.backtestAsOf ? ` · backtest as of ${lg.backtestAsOf}` : ''} · quote: ${lg.quoteStatus ?? '—'}`,
    );
    for (const [k, v] of Object.entries(lg.dataAsOf)) L.push(`- Data as of — ${k}: ${v ?? '—'}`);
    for (const [svc, m] of Object.entries(lg.models))
      L.push(
        `- Model — ${svc}: ${m ? `${m.name} ${m.version} · ${m.executionProvider}${m.sha256 ? ` · sha256 ${m.sha256}` : ''}` : 'unavailable'}`,
      );
    L.push(
      `- Prompt template: ${lg.template ? `${lg.template.name} (${lg.template.language}) v${lg.template.version}` : '—'}`,
    );
    L.push(`- Parameters: \`${JSON.stringify(lg.params)}\``);
    if (lg.traceId) L.push(`- Trace id: \`${lg.traceId}\``);
  }
  L.push('', '_Not investment advice._', '');
  return L.join('\n');
}
