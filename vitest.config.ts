import { defineConfig } from 'vitest/config';

const shared = { testTimeout: 30_000, hookTimeout: 120_000 };

export default defineConfig({
  test: {
    // Integration tests start PostgreSQL, socat and Chromium: two cores, so keep the pool small.
    maxWorkers: 2,
    projects: [
      {
        test: {
          ...shared,
          name: 'unit',
          include: ['**/*.test.ts', '**/*.test.tsx'],
          exclude: ['node_modules/**', 'dist/**', '.data/**', 'test/e2e/**', 'test/faults/**'],
        },
      },
      {
        // Power cuts, network chaos, model and long-outage tests (issue 3); slow, so one file at a time.
        test: {
          ...shared,
          name: 'faults',
          include: ['test/faults/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 600_000,
          // Collects the tests' results and prints `faults: kills=N events=N lost=N duplicated=N`.
          globalSetup: ['test/faults/support/global-setup.ts'],
        },
      },
      {
        test: { ...shared, name: 'e2e', include: ['test/e2e/**/*.test.ts'], fileParallelism: false, testTimeout: 240_000 },
      },
    ],
  },
});
