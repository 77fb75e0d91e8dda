import type { Metadata, Viewport } from 'next';
import { cookies, headers } from 'next/headers';
import type { ReactNode } from 'react';
import { Header } from '~/components/header';
import './globals.css';
import { COLOR_COOKIE, initialPrefs, LANG_COOKIE } from '~/lib/prefs/negotiate';
import { Providers } from './providers';

export const metadata: Metadata = {
  title: 'InvestIQ',
  description: 'Self-hosted investment-research dashboard',
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

export default async function RootLayout({ children }: { children: ReactNode }) {
  // decided per request, so a Chinese browser's first page is already Chinese (see lib/prefs/negotiate.ts)
  const [jar, head] = await Promise.all([cookies(), headers()]);
  const prefs = initialPrefs({
    lang: jar.get(LANG_COOKIE)?.value,
    colors: jar.get(COLOR_COOKIE)?.value,
    acceptLanguage: head.get('accept-language'),
  });
  return (
    <html lang={prefs.lang} suppressHydrationWarning>
      <body>
        <Providers prefs={prefs}>
          <Header />
          <main className="container">{children}</main>
        </Providers>
      </body>
    </html>
  );
}
