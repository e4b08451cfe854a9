import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const ui = fileURLToPath(new URL('../../..', import.meta.url));
const cli = join(createRequire(import.meta.url).resolve('gql.tada/package.json'), '..', 'bin', 'cli.js');

// graphql-env.d.ts is generated from api/schema.graphql (`npm run gql -w ui`): it must not drift.
test('graphql-env.d.ts is what gql.tada generates from api/schema.graphql', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'loom-gql-')), 'graphql-env.d.ts');
  execFileSync(process.execPath, [cli, 'generate', 'output', '--output', out], { cwd: ui, stdio: 'pipe' });
  expect(readFileSync(out, 'utf8')).toBe(readFileSync(join(ui, 'src', 'lib', 'graphql', 'graphql-env.d.ts'), 'utf8'));
}, 60_000);
