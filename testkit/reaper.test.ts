import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { register, registerProcess, reap } from './reaper';
import { root } from './root';

const dir = mkdtempSync(join(tmpdir(), 'loom-reaper-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test('behavior: a beforeAll that times out leaves no process behind, and its logs are printed', async () => {
  const pidFile = join(dir, 'pid');
  const run = spawnSync(process.execPath, [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--config', 'testkit/fixtures/vitest.config.ts'], {
    cwd: root,
    env: { ...process.env, LOOM_REAPER_PID_FILE: pidFile },
    encoding: 'utf8',
    timeout: 60_000,
  });
  const output = run.stdout + run.stderr;
  expect(run.status, output).toBe(1);
  expect(output).toMatch(/Hook timed out/);
  expect(output).toMatch(/a setup did not finish[\s\S]*the sleeper was here/);
  const pid = Number(readFileSync(pidFile, 'utf8'));
  expect(pid).toBeGreaterThan(0);
  expect(alive(pid)).toBe(false);
}, 90_000);

test('behavior: reap stops what is registered, newest first; what registers later is stopped at once', async () => {
  const order: string[] = [];
  register({ name: 'first', stop: () => void order.push('first') });
  const child = spawn('sleep', ['600']);
  registerProcess('sleeper', child);
  register({ name: 'last', stop: () => void order.push('last') });
  await reap({ print: () => {}, logDir: join(dir, 'logs') });
  expect(order).toEqual(['last', 'first']);
  expect(child.exitCode !== null || child.signalCode !== null).toBe(true);

  const late = spawn('sleep', ['600']);
  const exited = new Promise((r) => late.once('exit', r));
  registerProcess('late sleeper', late);
  await exited;
  expect(late.signalCode).toBe('SIGTERM');
});
