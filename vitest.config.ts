import { defineConfig } from 'vitest/config';

// Unit tests (pure code) run in parallel; integration tests share one PostgreSQL, one Redis and
// 2 cores, so they run one file at a time to keep ffmpeg timings honest.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
