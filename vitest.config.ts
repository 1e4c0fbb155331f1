import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Worker-heavy suites compete for 2 cores; one file at a time keeps races honest and runs bounded.
    fileParallelism: false,
  },
});
