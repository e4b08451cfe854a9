/**
 * The set-up's decisions, on a pretend machine: nothing is installed, started or run for real.
 */
import { describe, expect, test } from 'vitest';
// @ts-expect-error: plain ESM with no types (it runs before node_modules exists), as scripts/foundry's.
import { DEFAULT_DATABASE_URL, ensurePostgres, ensureSystemPackages, missingNpmDependencies, SetupError, systemPackagesFor } from './ensureSetup.mjs';

type Call = { cmd: string; args: string[]; env?: Record<string, string> };

/** A machine with `installed` Debian packages (or executables, without dpkg), recording what is run. */
function fakeHost(o: { isRoot: boolean; installed: string[]; commands?: string[]; answers?: boolean[]; clusters?: string[] }) {
  const calls: Call[] = [];
  const lines: string[] = [];
  const answers = [...(o.answers ?? [])];
  const commands = o.commands ?? ['dpkg', 'apt-get'];
  return {
    calls,
    lines,
    isRoot: o.isRoot,
    has: (cmd: string) => commands.includes(cmd),
    dpkgInstalled: (pkg: string) => o.installed.includes(pkg),
    run: (cmd: string, args: string[], env?: Record<string, string>) => void calls.push({ cmd, args, ...(env ? { env } : {}) }),
    answers: async () => answers.shift() ?? false,
    clusterVersions: () => o.clusters ?? [],
    sleep: async () => {},
    log: (line: string) => void lines.push(line),
  };
}

describe('system packages', () => {
  test('default: nothing missing, nothing run', () => {
    const host = fakeHost({ isRoot: false, installed: ['bubblewrap', 'chromium', 'postgresql'] });
    expect(ensureSystemPackages(['bubblewrap', 'chromium', 'postgresql'], host)).toEqual([]);
    expect(host.calls).toEqual([]);
  });

  test('behavior: as root with apt-get, the missing ones are installed', () => {
    const host = fakeHost({ isRoot: true, installed: ['bubblewrap'] });
    expect(ensureSystemPackages(['bubblewrap', 'chromium', 'postgresql'], host)).toEqual(['chromium', 'postgresql']);
    expect(host.calls).toEqual([
      { cmd: 'apt-get', args: ['update', '-qq'] },
      { cmd: 'apt-get', args: ['install', '-y', '-qq', 'chromium', 'postgresql'], env: { DEBIAN_FRONTEND: 'noninteractive' } },
    ]);
  });

  test('error: not root, one line names the command to run and nothing is installed', () => {
    const host = fakeHost({ isRoot: false, installed: ['postgresql'] });
    expect(() => ensureSystemPackages(['bubblewrap', 'chromium', 'postgresql'], host)).toThrow(SetupError);
    expect(() => ensureSystemPackages(['bubblewrap', 'chromium', 'postgresql'], host)).toThrow(/run: sudo apt-get install -y bubblewrap chromium$/);
    expect(host.calls).toEqual([]);
  });

  test('behavior: without dpkg, the executables tell; without apt-get, no apt command is offered', () => {
    const host = fakeHost({ isRoot: true, installed: [], commands: ['bwrap', 'pg_ctl'] });
    expect(() => ensureSystemPackages(['bubblewrap', 'chromium', 'postgresql'], host)).toThrow(/missing system packages: chromium .*package manager/);
    expect(host.calls).toEqual([]);
  });

  test('behavior: start needs bubblewrap only when it runs a worker', () => {
    expect(systemPackagesFor('start', {}, [])).toEqual(['bubblewrap']);
    expect(systemPackagesFor('start', { LOOM_LOCAL_WORKERS: '0' }, [])).toEqual([]);
    expect(systemPackagesFor('start', {}, ['--help'])).toEqual([]);
    expect(systemPackagesFor('start', {}, ['--rpc-url', 'http://x'])).toEqual([]);
    expect(systemPackagesFor('start', { LOOM_RPC_URL: 'http://x', LOOM_WORKER_KEY: '0x1' }, [])).toEqual(['bubblewrap']);
    expect(systemPackagesFor('test', { LOOM_LOCAL_WORKERS: '0' }, [])).toEqual(['bubblewrap', 'chromium', 'postgresql', 'docker-registry', 'skopeo', 'umoci', 'busybox-static']);
  });
});

describe('PostgreSQL', () => {
  test('default: a server that answers becomes DATABASE_URL', async () => {
    const host = fakeHost({ isRoot: false, installed: [], answers: [true] });
    expect(await ensurePostgres({}, host)).toBe(DEFAULT_DATABASE_URL);
    expect(host.lines).toEqual([]);
  });

  test('behavior: as root, a local cluster that is down is started', async () => {
    const host = fakeHost({ isRoot: true, installed: ['postgresql'], commands: ['pg_ctlcluster'], answers: [false, false, true], clusters: ['15'] });
    expect(await ensurePostgres({}, host)).toBe(DEFAULT_DATABASE_URL);
    expect(host.calls).toEqual([{ cmd: 'pg_ctlcluster', args: ['--skip-systemctl-redirect', '15', 'main', 'start'] }]);
  });

  test('behavior: not root and none answers, one line says the PostgreSQL variants will not run', async () => {
    const host = fakeHost({ isRoot: false, installed: ['postgresql'], commands: ['pg_ctlcluster'], clusters: ['15'] });
    expect(await ensurePostgres({}, host)).toBeUndefined();
    expect(host.calls).toEqual([]);
    expect(host.lines).toEqual([expect.stringMatching(/PostgreSQL variants .* will not run .*sudo pg_ctlcluster --skip-systemctl-redirect/)]);
  });

  test('error: a DATABASE_URL given that does not answer stops the set-up', async () => {
    const host = fakeHost({ isRoot: false, installed: [] });
    await expect(ensurePostgres({ DATABASE_URL: 'postgresql://u@db.example:5433/x' }, host)).rejects.toThrow(/DATABASE_URL \(db.example:5433\) does not answer/);
  });
});

describe('npm dependencies', () => {
  const manifests: Record<string, unknown> = {
    '/r/package.json': { workspaces: ['ui'], dependencies: { pg: '1' }, devDependencies: { tsx: '1' } },
    '/r/ui/package.json': { dependencies: { viem: '1' }, devDependencies: { svelte: '1' } },
  };
  const fs = (present: string[]) => ({ exists: (f: string) => present.includes(f), readJson: (f: string) => manifests[f] });

  test('default: every declared package present (hoisted or in the workspace)', () => {
    const present = ['/r/node_modules/pg/package.json', '/r/node_modules/tsx/package.json', '/r/node_modules/viem/package.json', '/r/ui/node_modules/svelte/package.json'];
    expect(missingNpmDependencies('/r', fs(present))).toEqual([]);
  });

  test('behavior: a fresh clone, or a workspace without its packages, is missing them', () => {
    expect(missingNpmDependencies('/r', fs([]))).toEqual(['pg', 'tsx', 'viem', 'svelte']);
    expect(missingNpmDependencies('/r', fs(['/r/node_modules/pg/package.json', '/r/node_modules/tsx/package.json']))).toEqual(['viem', 'svelte']);
  });
});
