import type { NarrativeInputs } from './facts';
import { type Fact, formatFact } from './grounding';
import type { AnyReportModule, FactMap, WriterTools } from './module';

/**
 * The deterministic narrative: a few plain paragraphs built only from the facts (so it is grounded by
 * construction), used when no LLM upstream is configured or the LLM fails. Each module writes its own
 * paragraphs (`write` in its descriptor), in the order of the module list.
 */
export function writeDeterministicNarrative(
  x: NarrativeInputs,
  facts: FactMap,
  modules: readonly AnyReportModule[],
): string {
  const zh = x.language === 'zh';
  const profile = x.outputs.profile as { currency?: string } | undefined;
  const w: WriterTools = {
    zh,
    symbol: x.symbol,
    currency: profile?.currency ?? '',
    facts,
    has: (...keys) => keys.every((k) => facts.has(k)),
    F: (k) => formatFact(facts.get(k) as Fact),
    abs: (k) => formatFact({ ...(facts.get(k) as Fact), value: Math.abs(facts.get(k)!.value) }),
    sign: (k) => (facts.get(k)?.value ?? 0) >= 0,
  };
  const out: string[] = [];
  for (const m of modules) {
    const output = x.outputs[m.name];
    if (output !== undefined && output !== null && m.write) out.push(...m.write(output, w));
  }
  if (out.length === 0)
    out.push(zh ? '没有可用的计算结果，无法撰写分析。' : 'No computed figures are available to write about.');
  out.push(
    zh
      ? '本段由内置模板根据上述数字生成，未使用大语言模型；不构成投资建议。'
      : 'This narrative was written by the built-in template from the figures above, without an LLM. It is not investment advice.',
  );
  return out.join('\n\n');
}
