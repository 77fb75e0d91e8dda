'use client';
import { useQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { usePrefs } from '~/lib/i18n';
import { useTRPC } from '~/lib/trpc';
import { SymbolPicker } from './symbol-picker';

/** Header search for signed-in users: pick any listed symbol (code + Enter works) to open its page. */
export function HeaderSearch() {
  const trpc = useTRPC();
  const { t } = usePrefs();
  const router = useRouter();
  const me = useQuery(trpc.auth.me.queryOptions(undefined, { staleTime: 60_000 }));
  if (me.data?.kind !== 'session') return null;
  return (
    <div className="header-search">
      <SymbolPicker
        label={t.searchSymbol}
        placeholder={t.searchPlaceholder}
        testId="header-search"
        hideLabel
        onPick={(s) => router.push(`/symbol/${s.market}/${encodeURIComponent(s.symbol)}`)}
      />
    </div>
  );
}
