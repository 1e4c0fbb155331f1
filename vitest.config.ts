import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two files at a time, on any machine: most files spend much of their time waiting (for a --timeout, a
    // child process, chromium), so two overlap well even on 2 cores (vitest's default there is one). Every
    // wait in the tests is bounded and no test asserts a time, so the extra load slows runs but fails none.
    maxWorkers: 2,
  },
});
