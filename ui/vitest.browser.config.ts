import { defineConfig } from 'vitest/config';

// The browser tests: Chromium (playwright-core) against the real stack, started by tests/stack.ts.
export default defineConfig({
  test: {
    include: ['tests/**/*.e2e.ts'],
    testTimeout: 240_000,
    hookTimeout: 300_000,
    fileParallelism: false,
  },
});
