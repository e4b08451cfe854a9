import { defineConfig } from 'vitest/config';

// The browser tests: Chromium (playwright-core) against the real stack, started by testkit/stack.ts.
export default defineConfig({
  test: {
    include: ['tests/**/*.e2e.ts'],
    // The harness's teardown (testkit/reaper.ts) runs after every file, even after a setup that timed out.
    setupFiles: ['../testkit/setup.ts'],
    testTimeout: 240_000,
    hookTimeout: 300_000,
    fileParallelism: false,
  },
});
