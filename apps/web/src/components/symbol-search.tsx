'use client';
import { useQuery } from '@tanstack/react-query';
import { type KeyboardEvent, useEffect, useId, useState } from 'react';
import { usePrefs } from '~/lib/i18n';
import { useTRPC } from '~/lib/trpc';

export interface PickedSymbol {
  market: 'CN' | 'HK' | 'US';
  symbol: string;
}

/** Search-as-you-type combobox over the symbol universe (`market.search`); Enter or a click picks one. */
export function SymbolSearch({
  label,
  placeholder,
  noMatches,
  onPick,
  testId = 'symbol-search',
}: {
  label: string;
  placeholder: string;
  noMatches: string;
  onPick: (s: PickedSymbol) => void;
  testId?: string;
}) {
  const trpc = useTRPC();
  const { lang } = usePrefs();
  const [text, setText] = useState('');
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const listId = useId();
  useEffect(() => {
    const h = setTimeout(() => setQuery(text.trim()), 150);
    return () => clearTimeout(h);
  }, [text]);
  const results = useQuery(
    trpc.market.search.queryOptions({ query, limit: 10 }, { enabled: open && query.length > 0 }),
  );
  const options = query.length > 0 ? (results.data ?? []) : [];
  const pick = (i: number) => {
    const o = options[i];
    if (!o) return;
    onPick({ market: o.market as PickedSymbol['market'], symbol: o.symbol });
    setText('');
    setQuery('');
    setOpen(false);
  };
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setOpen(true);
      setActive((a) => Math.min(a + 1, Math.max(options.length - 1, 0)));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => Math.max(a - 1, 0));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      pick(active);
    } else if (e.key === 'Escape') {
      setOpen(false);
    }
  };
  const expanded = open && query.length > 0;
  return (
    <div className="combo" data-testid={testId}>
      <input
        type="search"
        role="combobox"
        aria-label={label}
        aria-expanded={expanded}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={expanded && options[active] ? `${listId}-${active}` : undefined}
        placeholder={placeholder}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
          setActive(0);
        }}
        onKeyDown={onKey}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        data-testid={`${testId}-input`}
      />
      {expanded && (
        <div id={listId} role="listbox" className="combo-list" data-testid={`${testId}-options`}>
          {options.length === 0 && !results.isPending && <div className="muted">{noMatches}</div>}
          {options.map((o, i) => (
            <div
              tabIndex={-1}
              key={`${o.market}:${o.symbol}`}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'active' : undefined}
              onMouseDown={(e) => {
                e.preventDefault();
                pick(i);
              }}
              data-testid={`option-${o.symbol}`}
            >
              <span className="sym">{o.symbol}</span> <span className="market-tag">{o.market}</span>{' '}
              {lang === 'zh-CN' ? o.nameZh : o.name}
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
