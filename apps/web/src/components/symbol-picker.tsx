'use client';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type KeyboardEvent, useEffect, useId, useState } from 'react';
import { usePrefs } from '~/lib/i18n';
import { enterWhenSettled, pickerKey } from '~/lib/symbol-picker';
import { useTRPC } from '~/lib/trpc';

export interface PickedSymbol {
  market: 'CN' | 'HK' | 'US';
  symbol: string;
}

/**
 * Symbol search over the whole universe as an ARIA combobox: code, name, pinyin initials (`gzmt`), typos.
 * Arrow keys move through the options, Enter picks the highlighted one — or, with none highlighted, an
 * exact code match (type `600519`, `700` or `aapl` and press Enter). Escape closes the list.
 */
export function SymbolPicker({
  label,
  placeholder,
  initialQuery = '',
  onPick,
  onEdit,
  limit = 8,
  testId = 'symbol-search',
  hideLabel = false,
}: {
  label: string;
  placeholder?: string;
  initialQuery?: string;
  onPick: (s: PickedSymbol) => void;
  /** The text changed after a pick: the previous pick no longer stands. */
  onEdit?: () => void;
  limit?: number;
  testId?: string;
  /** Keep the label for screen readers only (the header). */
  hideLabel?: boolean;
}) {
  const trpc = useTRPC();
  const { lang } = usePrefs();
  const listId = useId();
  const [query, setQuery] = useState(initialQuery);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [pendingEnter, setPendingEnter] = useState(false);
  const q = query.trim();
  const search = useQuery(
    trpc.market.search.queryOptions(
      { query: q, limit },
      { enabled: open && q.length > 0, placeholderData: keepPreviousData, staleTime: 30_000 },
    ),
  );
  const results = q.length > 0 ? search.data : undefined;
  const settled = search.isSuccess && !search.isPlaceholderData;

  const pick = (index: number) => {
    const s = results?.[index];
    if (!s) return;
    setQuery(s.symbol);
    setOpen(false);
    setActive(-1);
    setPendingEnter(false);
    onPick({ market: s.market, symbol: s.symbol });
  };

  // Enter pressed before the results of the typed text arrived: pick once they do, if it is an exact code
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the settled results change
  useEffect(() => {
    if (!pendingEnter || !settled) return;
    setPendingEnter(false);
    const i = enterWhenSettled(results);
    if (i !== null) pick(i);
  }, [pendingEnter, settled, results]);

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (!open && e.key !== 'ArrowDown') return; // a picked symbol: Enter submits the form as usual
    const action = pickerKey(e.key, active, results, settled);
    if (action.type === 'none') return;
    e.preventDefault();
    if (action.type === 'pick') pick(action.index);
    else if (action.type === 'move') {
      setOpen(true);
      setActive(action.active);
    } else if (action.type === 'close') {
      setOpen(false);
      setActive(-1);
    } else setPendingEnter(true);
  };

  const expanded = open && !!results && results.length > 0;
  const optionId = (i: number) => `${listId}-opt-${i}`;
  return (
    <div className="symbol-picker">
      <label>
        {hideLabel ? <span className="sr-only">{label}</span> : label}
        <input
          role="combobox"
          aria-expanded={expanded}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={expanded && active >= 0 ? optionId(active) : undefined}
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setOpen(true);
            setActive(-1);
            onEdit?.();
          }}
          onKeyDown={onKeyDown}
          onBlur={() => setTimeout(() => setOpen(false), 150)}
          onFocus={() => query.trim() && setOpen(true)}
          placeholder={placeholder}
          data-testid={testId}
          autoComplete="off"
          spellCheck={false}
        />
      </label>
      <div
        id={listId}
        role="listbox"
        className="suggestions"
        data-testid="symbol-suggestions"
        hidden={!expanded}
      >
        {expanded &&
          results.map((s, i) => (
            // biome-ignore lint/a11y/useKeyWithClickEvents: keyboard goes through the combobox input (aria-activedescendant)
            <div
              key={`${s.market}:${s.symbol}`}
              id={optionId(i)}
              role="option"
              tabIndex={-1}
              aria-selected={i === active}
              className={i === active ? 'active' : ''}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => pick(i)}
              data-testid={`suggest-${s.symbol}`}
              data-match={s.match}
            >
              <span className="sym">{s.symbol}</span> <span className="market-tag">{s.market}</span>{' '}
              {lang === 'zh-CN' ? s.nameZh : s.name}
              {lang === 'zh-CN' || s.nameZh === s.name ? '' : <span className="muted"> · {s.nameZh}</span>}
            </div>
          ))}
      </div>
    </div>
  );
}
