'use client';
import type { ReactNode } from 'react';
import { PrefsProvider } from '~/lib/i18n';
import { TRPCReactProvider } from '~/lib/trpc';

export function Providers({ children }: { children: ReactNode }) {
  return (
    <PrefsProvider>
      <TRPCReactProvider>{children}</TRPCReactProvider>
    </PrefsProvider>
  );
}
