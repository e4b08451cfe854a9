import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(createRequire(import.meta.url).resolve('gql.tada/package.json'), '..', 'bin', 'cli.js');

// graphql-env.d.ts is generated from api/graphql/schema.graphql (`npm run sdk:gql`): it must not drift, or
// every document typed from it would describe an API that no longer exists.
test('default: graphql-env.d.ts is what gql.tada generates from api/graphql/schema.graphql', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'loom-gql-')), 'graphql-env.d.ts');
  execFileSync(process.execPath, [cli, 'generate', 'output', '--tsconfig', join(root, 'sdk', 'tsconfig.json'), '--output', out], { cwd: root, stdio: 'pipe' });
  expect(readFileSync(out, 'utf8')).toBe(readFileSync(join(root, 'sdk', 'graphql-env.d.ts'), 'utf8'));
}, 60_000);
