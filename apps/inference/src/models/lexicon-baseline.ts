// The no-model baseline the default sentiment model is measured against (BENCHMARKS.md, "Default ONNX models"):
// English = sign of the plain AFINN-165 (financial market news) sum; Chinese = our lexicon over
// jieba-segmented words, with negators flipping and intensifiers scaling the next scored word.
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict';
import { afinn165FinancialMarketNews } from 'afinn-165-financialmarketnews';
import type { SentimentLabel } from './config.js';
import type { ZhLexicon } from './sentiment-train.js';

const signLabel = (score: number): SentimentLabel =>
  score > 0 ? 'positive' : score < 0 ? 'negative' : 'neutral';

export function afinnLabel(text: string): SentimentLabel {
  let score = 0;
  for (const word of text.toLowerCase().match(/[a-z][a-z'-]*/g) ?? [])
    score += afinn165FinancialMarketNews[word] ?? 0;
  return signLabel(score);
}

export function createZhLexiconBaseline(lexicon: ZhLexicon): (text: string) => SentimentLabel {
  const jieba = Jieba.withDict(dict);
  const negators = new Set(lexicon.negators);
  return (text) => {
    let score = 0;
    let negateWithin = 0;
    let factor = 1;
    for (const word of jieba.cut(text, false)) {
      const w = word.toLowerCase();
      if (negators.has(w)) {
        negateWithin = 3;
        continue;
      }
      const intensity = lexicon.intensifiers[w];
      if (intensity !== undefined) {
        factor *= intensity;
        continue;
      }
      const s = lexicon.scores[w];
      if (s !== undefined) {
        score += (negateWithin > 0 ? -s : s) * factor;
        negateWithin = 0;
        factor = 1;
      } else if (negateWithin > 0) {
        negateWithin--;
      }
    }
    return signLabel(score);
  };
}

export interface ClassificationMetrics {
  n: number;
  accuracy: number;
  macroF1: number;
  perClassF1: Record<SentimentLabel, number>;
}

export function classificationMetrics(gold: SentimentLabel[], pred: SentimentLabel[]): ClassificationMetrics {
  const labels: SentimentLabel[] = ['negative', 'neutral', 'positive'];
  const perClassF1 = { negative: 0, neutral: 0, positive: 0 };
  for (const l of labels) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    gold.forEach((g, i) => {
      const p = pred[i];
      if (p === l && g === l) tp++;
      else if (p === l) fp++;
      else if (g === l) fn++;
    });
    perClassF1[l] = tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  }
  const correct = gold.filter((g, i) => g === pred[i]).length;
  return {
    n: gold.length,
    accuracy: correct / gold.length,
    macroF1: (perClassF1.negative + perClassF1.neutral + perClassF1.positive) / 3,
    perClassF1,
  };
}
