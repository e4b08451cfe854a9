/**
 * The executable schema: api/graphql/schema.graphql (the contract with integrators) and the resolvers.
 */
import { readFileSync } from 'node:fs';
import type { GraphQLScalarType, GraphQLSchema } from './graphqlJs';
import { createSchema } from 'graphql-yoga';
import { balanceResolvers } from './resolvers/balances';
import { bidResolvers } from './resolvers/bids';
import { jobEventResolvers } from './resolvers/jobEvents';
import { jobResolvers } from './resolvers/jobs';
import { marketResolvers } from './resolvers/market';
import { matchWorkersResolvers } from './resolvers/matchWorkers';
import { modelResolvers } from './resolvers/models';
import { poolResolvers } from './resolvers/pools';
import { presenceResolvers } from './resolvers/presence';
import { stateDigestResolvers } from './resolvers/stateDigest';
import { statsResolvers } from './resolvers/stats';
import { subscriptionResolvers } from './resolvers/subscriptions';
import { workerResolvers } from './resolvers/workers';
import { AddressScalar, BigIntScalar, Bytes32Scalar, DateScalar, HexScalar, JSONScalar, UInt32Scalar } from './scalars';

/** The SDL file the server serves (a test checks that printSchema of the served schema matches it). */
export const schemaFile = new URL('./schema.graphql', import.meta.url);

type ResolverMap = Record<string, Record<string, unknown>>;

function mergeResolvers(...maps: ResolverMap[]): ResolverMap {
  const merged: ResolverMap = {};
  for (const map of maps) {
    for (const [type, fields] of Object.entries(map)) {
      for (const field of Object.keys(fields)) {
        if (merged[type]?.[field]) throw new Error(`resolver ${type}.${field} defined twice`);
      }
      merged[type] = { ...merged[type], ...fields };
    }
  }
  return merged;
}

/** A scalar's behavior only: its description stays the SDL's (a whole GraphQLScalarType would replace it). */
function scalarBehavior(scalar: GraphQLScalarType) {
  return { serialize: scalar.serialize, parseValue: scalar.parseValue, parseLiteral: scalar.parseLiteral };
}

/** Builds the schema once; resolvers read everything else from the per-request context. */
export function createApiSchema(): GraphQLSchema {
  return createSchema({
    typeDefs: readFileSync(schemaFile, 'utf8'),
    resolvers: {
      BigInt: scalarBehavior(BigIntScalar),
      Address: scalarBehavior(AddressScalar),
      Bytes32: scalarBehavior(Bytes32Scalar),
      Hex: scalarBehavior(HexScalar),
      JSON: scalarBehavior(JSONScalar),
      Date: scalarBehavior(DateScalar),
      UInt32: scalarBehavior(UInt32Scalar),
      ...mergeResolvers(
        jobResolvers,
        bidResolvers,
        workerResolvers,
        jobEventResolvers,
        statsResolvers,
        matchWorkersResolvers,
        marketResolvers,
        balanceResolvers,
        stateDigestResolvers,
        subscriptionResolvers,
        presenceResolvers,
        modelResolvers,
        poolResolvers,
      ),
    },
    // Every field of the SDL must be resolvable: fail at startup, not at the first query.
    resolverValidationOptions: { requireResolversToMatchSchema: 'error' },
  });
}
