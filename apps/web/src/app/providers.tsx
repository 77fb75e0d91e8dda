'use client';
import type { ReactNode } from 'react';
import { PrefsProvider } from '~/lib/i18n';
import type { InitialPrefs } from '~/lib/prefs/negotiate';
import { TRPCReactProvider } from '~/lib/trpc';

export function Providers({ children, prefs }: { children: ReactNode; prefs: InitialPrefs }) {
  return (
    <PrefsProvider initial={prefs}>
      <TRPCReactProvider>{children}</TRPCReactProvider>
    </PrefsProvider>
  );
}
