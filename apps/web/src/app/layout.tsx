import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { Header } from '~/components/header';
import './globals.css';
import { Providers } from './providers';

export const metadata: Metadata = {
  title: 'InvestIQ',
  description: 'Self-hosted investment-research dashboard',
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" suppressHydrationWarning>
      <body>
        <Providers>
          <Header />
          <main className="container">{children}</main>
        </Providers>
      </body>
    </html>
  );
}
