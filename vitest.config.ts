import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', './test/reporters/summaryLine.ts'],
    // Each file starts its own Azurite and emulators; forks keep msal's per-process
    // managed-identity state from leaking between files.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
