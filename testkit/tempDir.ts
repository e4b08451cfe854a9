/**
 * A new directory under `.cache/test/` for one run's files (PGlite, artifacts, worker state),
 * removed at teardown. Under the repository, not /tmp: the sandbox user of a worker must reach job
 * directories inside it, so it is world-traversable (0755).
 */
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { root, runId } from './root';
import { registerDir } from './reaper';

export function tempDir(name: string): string {
  const dir = join(root, '.cache', 'test', `${name}-${runId()}`);
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  chmodSync(dir, 0o755);
  registerDir(dir);
  return dir;
}
