/**
 * A local OCI registry for tests: Debian's `docker-registry` (the CNCF distribution registry, the
 * same server Docker Hub's API descends from) on 127.0.0.1 with a free port and filesystem storage in
 * a temporary directory. Registered with the reaper; its access log is kept, so tests can count the
 * blob GETs a pull made. Images are built and pushed by testkit/images.ts; nothing comes from the internet.
 * With `users`, it is a private registry: htpasswd (bcrypt) Basic auth for every request, pushes included.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import bcrypt from 'bcryptjs';
import { join } from 'node:path';
import { freePort } from '../indexer/run/freePort';
import { registerProcess, starting } from './reaper';
import { tempDir } from './tempDir';

export type Registry = {
  /** `127.0.0.1:PORT`: the registry part of image references (ImageRef.registry). */
  host: string;
  /** `http://127.0.0.1:PORT`. */
  url: string;
  /** Where the registry stores blobs: `<storageDir>/docker/registry/v2/blobs/sha256/<2 hex>/<hex>/data`. */
  storageDir: string;
  /** Everything it printed (its access log among it). */
  logs: () => string;
  /** The first of `users` (a private registry): what testkit/images.ts pushes with. */
  auth?: RegistryUser;
  /** GET requests for a blob (`sha256:…`) so far: the pulls that fetched it. */
  blobGets: (digest: string) => number;
  stop: () => Promise<void>;
};

export const REGISTRY_BINARY = '/usr/bin/docker-registry';

export type RegistryUser = { username: string; password: string };

/** Starts a registry (private with `users`: htpasswd Basic auth) and resolves once its API answers. */
export function startRegistry(o: { users?: RegistryUser[] } = {}): Promise<Registry> {
  return starting(async () => {
    const dir = tempDir('registry');
    const storageDir = join(dir, 'storage');
    const port = await freePort();
    const config = join(dir, 'config.yml');
    const htpasswd = join(dir, 'htpasswd');
    // bcrypt is the one hash docker-registry's htpasswd accepts; a low cost keeps each request fast.
    if (o.users?.length) writeFileSync(htpasswd, o.users.map((u) => `${u.username}:${bcrypt.hashSync(u.password, 4)}\n`).join(''));
    writeFileSync(
      config,
      [
        'version: 0.1',
        'log:',
        '  level: warn',
        'storage:',
        '  filesystem:',
        `    rootdirectory: ${storageDir}`,
        '  delete:',
        '    enabled: true',
        'http:',
        `  addr: 127.0.0.1:${port}`,
        // A fixed secret silences the warning about generating one (it signs upload state).
        '  secret: loom-test-registry',
        ...(o.users?.length ? ['auth:', '  htpasswd:', '    realm: loom-test-registry', `    path: ${htpasswd}`] : []),
        '',
      ].join('\n'),
    );
    const child = spawn(REGISTRY_BINARY, ['serve', config], { stdio: ['ignore', 'pipe', 'pipe'] });
    const output: string[] = [];
    child.stdout!.on('data', (d: Buffer) => output.push(d.toString()));
    child.stderr!.on('data', (d: Buffer) => output.push(d.toString()));
    const logs = () => output.join('');
    const stop = registerProcess('docker-registry', child, { logs, graceMs: 3000 });
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 15_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`docker-registry exited with ${child.exitCode}: ${logs()}`);
      const ok = await fetch(`${url}/v2/`).then(
        (r) => r.status === 200 || (o.users !== undefined && r.status === 401),
        () => false,
      );
      if (ok) break;
      if (Date.now() > deadline) throw new Error(`docker-registry did not answer on ${url} within 15 s: ${logs()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const blobGets = (digest: string) => logs().split('\n').filter((l) => l.includes(`"GET /v2/`) && l.includes(`/blobs/${digest} `)).length;
    return { host: `127.0.0.1:${port}`, url, storageDir, logs, blobGets, stop, ...(o.users?.[0] ? { auth: o.users[0] } : {}) };
  });
}
