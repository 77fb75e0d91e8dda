import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { sharedTest } from '../../vitest.shared.ts';

export default defineConfig({
  // the `~/*` path of tsconfig.json (component modules imported by tests use it)
  resolve: { alias: { '~': fileURLToPath(new URL('./src', import.meta.url)) } },
  // tsconfig says `jsx: preserve` (Next compiles it); tests compile JSX with React's automatic runtime
  oxc: { jsx: { runtime: 'automatic' } },
  test: { ...sharedTest, include: ['src/**/*.test.ts'] },
});
