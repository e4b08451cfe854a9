/**
 * The real `loom` binary as a user runs it: cli/loom.ts started through its shebang as a child
 * process, with only the environment a test gives it (plus PATH and HOME), its exit code, stdout
 * and stderr collected. Killed past `timeoutMs`.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { root } from './root';

export const LOOM_BIN = join(root, 'cli', 'loom.ts');

export type LoomRun = { code: number | null; stdout: string; stderr: string };

/** A process environment of PATH, HOME and `env` (undefined values left out). */
export function loomProcessEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const full: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, ...env };
  for (const [k, v] of Object.entries(full)) if (v === undefined) delete full[k];
  return full;
}

export function runLoom(args: string[], env: Record<string, string | undefined>, timeoutMs = 90_000): Promise<LoomRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(LOOM_BIN, args, { cwd: root, env: loomProcessEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
