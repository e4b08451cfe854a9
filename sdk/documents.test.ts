import { readFileSync } from 'node:fs';
import { buildSchema, parse, validate, type DocumentNode } from 'graphql';
import { print } from '@0no-co/graphql.web';
import { expect, test } from 'vitest';
import * as documents from './documents';

const sdl = readFileSync(new URL('../api/graphql/schema.graphql', import.meta.url), 'utf8');
const schema = buildSchema(sdl);

const operations = Object.entries(documents).filter(([name]) => name.endsWith('Query') || name.endsWith('Subscription')) as [string, DocumentNode][];

// gql.tada checks the documents at compile time; this checks the text that actually goes over the
// wire (fragments included, gql.tada's client-only `@_unmask` stripped) against the API's schema.
test('default: every operation of sdk/documents.ts is valid against api/graphql/schema.graphql', () => {
  expect(operations.length).toBeGreaterThanOrEqual(12);
  for (const [name, doc] of operations) {
    const errors = validate(schema, parse(print(doc)));
    expect(errors.map((e) => e.message), name).toEqual([]);
  }
});
