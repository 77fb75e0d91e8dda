/** Keyboard behaviour of the symbol picker (combobox), kept apart from React so it can be tested. */

export interface PickerResult {
  market: 'CN' | 'HK' | 'US';
  symbol: string;
  /** How the server matched the query; `code` = the typed text is exactly this symbol's code. */
  match?: string;
}

export type PickerAction =
  | { type: 'pick'; index: number }
  | { type: 'move'; active: number }
  | { type: 'close' }
  /** Enter before the results for the typed text arrived: decide when they do (`enterWhenSettled`). */
  | { type: 'wait' }
  | { type: 'none' };

/**
 * What a key does in the picker. `active` is the highlighted option (-1: none); `settled` is false while
 * the results shown are not yet those of the current text.
 * - ArrowDown/ArrowUp move the highlight (opening the list), Escape closes it.
 * - Enter picks the highlighted option; with none highlighted it picks the first result when that is an
 *   exact code match (600519, 700, aapl…), so typing a code and pressing Enter is enough.
 */
export function pickerKey(
  key: string,
  active: number,
  results: readonly PickerResult[] | undefined,
  settled: boolean,
): PickerAction {
  const n = results?.length ?? 0;
  switch (key) {
    case 'ArrowDown':
      return n === 0 ? { type: 'none' } : { type: 'move', active: Math.min(active + 1, n - 1) };
    case 'ArrowUp':
      return n === 0 ? { type: 'none' } : { type: 'move', active: Math.max(active - 1, 0) };
    case 'Escape':
      return { type: 'close' };
    case 'Enter':
      if (settled && active >= 0 && active < n) return { type: 'pick', index: active };
      if (!settled) return { type: 'wait' };
      return enterWhenSettled(results) === null ? { type: 'none' } : { type: 'pick', index: 0 };
    default:
      return { type: 'none' };
  }
}

/** The option a pending Enter picks once results arrive: the first, if it is an exact code match. */
export function enterWhenSettled(results: readonly PickerResult[] | undefined): 0 | null {
  return results?.[0]?.match === 'code' ? 0 : null;
}
