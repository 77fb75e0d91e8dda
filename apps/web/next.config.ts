import type { NextConfig } from 'next';

const config: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Type-checking runs once for the whole monorepo (`npm run typecheck`), not again inside next build.
  typescript: { ignoreBuildErrors: true },
  transpilePackages: ['@investiq/contracts'],
};

export default config;
