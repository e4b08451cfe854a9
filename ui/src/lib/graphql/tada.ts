/**
 * gql.tada, typed from the API's schema (api/schema.graphql -> graphql-env.d.ts, regenerated with
 * `npm run gql -w ui`). The custom scalars as they arrive over JSON.
 */
import { initGraphQLTada } from 'gql.tada';
import type { introspection } from './graphql-env.d.ts';

export type Hex = `0x${string}`;

export const graphql = initGraphQLTada<{
  introspection: introspection;
  scalars: {
    BigInt: string;
    Address: Hex;
    Bytes32: Hex;
    Hex: Hex;
    JSON: unknown;
    Date: string;
    UInt32: number;
  };
}>();

export type { FragmentOf, ResultOf, VariablesOf } from 'gql.tada';
export { readFragment } from 'gql.tada';
