import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{abis,scripts,bench,indexer,api,worker,sdk,cli,gateway,e2e,testkit}/**/*.test.ts'],
    // The harness's teardown (testkit/reaper.ts) runs after every file, even after a setup that timed out.
    setupFiles: ['testkit/setup.ts'],
    exclude: ['**/node_modules/**', 'indexer/.ponder/**', 'indexer/generated/**'],
    // Integration tests start anvil, Ponder and databases: real processes take real time.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // One machine, two cores: test files that each start a chain and an indexer run one at a time.
    fileParallelism: false,
  },
});
