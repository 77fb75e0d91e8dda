// Shared vitest defaults; each workspace's vitest.config.ts spreads these.
export const sharedTest = {
  testTimeout: 30_000,
  hookTimeout: 60_000,
  allowOnly: false,
} as const;
