/**
 * Run by vitest before every test file (setupFiles): the reaper's teardown as the file's last
 * `afterAll`, which vitest runs even when a `beforeAll` failed or timed out.
 */
import { basename, join } from 'node:path';
import { type RunnerTask as Task, type RunnerTestSuite as Suite, afterAll } from 'vitest';
import { markFailed, reap } from './reaper';
import { root } from './root';

/** A test failed, or a hook did (its error is on a suite, or a test that should have run never did). */
function failed(task: Task): boolean {
  if (task.result?.state === 'fail' || (task.result?.errors?.length ?? 0) > 0) return true;
  if (task.type === 'test' && task.mode === 'run' && task.result?.state !== 'pass') return true;
  return task.type === 'suite' && (task as Suite).tasks.some(failed);
}

afterAll(async ({}, suite) => {
  if (failed(suite)) markFailed();
  const file = 'filepath' in suite ? String(suite.filepath) : suite.name;
  await reap({ logDir: join(root, '.cache', 'test-logs', basename(file)) });
});
