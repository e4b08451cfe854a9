/**
 * gql.tada, typed from the API's schema: `graphql(...)` documents carry their result and variable
 * types, checked against api/graphql/schema.graphql at compile time. `graphql-env.d.ts` is generated from
 * the schema (`npm run sdk:gql`); sdk/graphql.test.ts fails when it drifts.
 *
 * The custom scalars are typed as they arrive over JSON: `BigInt` as a decimal string (JSON numbers
 * cannot hold uint96 amounts), addresses and hashes as lowercase `0x` strings.
 *
 * @example
 * const Q = graphql(`query ($id: ID!) { job(id: $id) { status price } }`);
 * type Job = ResultOf<typeof Q>['job']; // { status: "OPEN" | ...; price: string | null } | null
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

export type { FragmentOf, ResultOf, TadaDocumentNode, VariablesOf } from 'gql.tada';
export { readFragment } from 'gql.tada';
