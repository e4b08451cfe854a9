/**
 * Whether the sandbox tests can run here. They skip only where bubblewrap is genuinely missing
 * and this is not CI: CI installs bubblewrap, so there a missing bwrap must fail the tests loudly.
 */
import { accessSync, constants } from 'node:fs';

function installed(): boolean {
  for (const p of ['/usr/bin/bwrap', '/usr/local/bin/bwrap']) {
    try {
      accessSync(p, constants.X_OK);
      return true;
    } catch {
      // Next.
    }
  }
  return false;
}

const bwrapInstalled = installed();

/** True when sandbox tests should be skipped. */
export const skipSandboxTests = !bwrapInstalled && !process.env.CI;
