/**
 * api/graphql/schema.graphql is the contract with integrators: the server serves exactly it, and every type,
 * field, argument and enum value in it says what it is.
 */
import { readFileSync } from 'node:fs';
import {
  buildClientSchema,
  buildSchema,
  getIntrospectionQuery,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  lexicographicSortSchema,
  printSchema,
} from './graphqlJs';
import pino from 'pino';
import { describe, expect, test } from 'vitest';
import { createApi } from '../createApi';
import { createApiSchema, schemaFile } from './createApiSchema';
import type { Db, Tables } from '../data/tables';
import { errorCodes } from './errors';
import { gql } from '../test/gql';

const sdl = readFileSync(schemaFile, 'utf8');
const print = (schema: Parameters<typeof printSchema>[0]) => printSchema(lexicographicSortSchema(schema));

describe('schema', () => {
  test('default: the served schema is api/graphql/schema.graphql', async () => {
    expect(print(createApiSchema())).toBe(print(buildSchema(sdl)));

    // And what the server answers to introspection is that schema too (no database needed).
    const app = createApi({ db: {} as Db, tables: {} as Tables, logger: pino({ level: 'silent' }) });
    const res = await gql(app, getIntrospectionQuery({ descriptions: true, schemaDescription: true }));
    expect(res.body.errors).toBeUndefined();
    expect(print(buildClientSchema(res.body.data))).toBe(print(buildSchema(sdl)));
  });

  test('behavior: every type, field, argument and enum value has a description', () => {
    const schema = buildSchema(sdl);
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__') || ['String', 'Int', 'Float', 'Boolean', 'ID'].includes(type.name)) continue;
      if (!type.description?.trim()) missing.push(type.name);
      if (isObjectType(type) || isInterfaceType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (!field.description?.trim()) missing.push(`${type.name}.${field.name}`);
          for (const arg of field.args) if (!arg.description?.trim()) missing.push(`${type.name}.${field.name}(${arg.name})`);
        }
      }
      if (isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) if (!field.description?.trim()) missing.push(`${type.name}.${field.name}`);
      }
      if (isEnumType(type)) {
        for (const value of type.getValues()) if (!value.description?.trim()) missing.push(`${type.name}.${value.name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  test('behavior: the schema documents the closed set of error codes', () => {
    for (const code of errorCodes) expect(sdl).toContain(code);
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    for (const code of errorCodes) expect(readme).toContain(`\`${code}\``);
  });
});
