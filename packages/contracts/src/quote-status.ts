// No zod here: browser bundles import this entry (`@investiq/contracts/quote-status`) without the schemas.
import type { TLatestQuote, TQuote } from './market';

/** The answers that carry a price: fresh (live), delayed (declared lag) and closed (last close). */
export type TPricedLatestQuote = Extract<TLatestQuote, { quote: TQuote }>;
export function hasPrice(l: TLatestQuote | null | undefined): l is TPricedLatestQuote {
  return l?.status === 'fresh' || l?.status === 'delayed' || l?.status === 'closed';
}
