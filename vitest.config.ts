import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // One Chromium at a time: this machine has two cores.
          fileParallelism: false,
          // Page state is polled until it holds: a loaded machine renders late, never wrongly.
          expect: { poll: { timeout: 20_000, interval: 50 } },
        },
      },
    ],
  },
});
