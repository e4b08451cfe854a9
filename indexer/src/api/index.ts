/**
 * Ponder's API entry: serves the GraphQL API (api/) from Ponder's read-only database.
 * Ponder rebuilds this module on hot reload; the app is built here, from the `db` it hands us.
 */
import { db } from 'ponder:api';
import * as schema from 'ponder:schema';
import ponderSchema from 'ponder:schema';
import { graphql } from 'ponder';
import { createApi } from '../../../api/createApi';
import config from '../../ponder.config';
import { foldJob } from '../fold/job';

// Upload signatures name the store by the chain and market this indexer follows.
const artifactUploads = { domain: { chainId: config.chains.loom.id, market: config.contracts.LoomMarket.address } };
// Heartbeats' sessions name the same chain and market (api/presence/).
const app = createApi({ db, tables: schema, foldJob, artifactUploads, presence: { domain: artifactUploads.domain } });

// Ponder's own generated GraphQL over the same tables, only when LOOM_PONDER_GRAPHQL=1: bench/api.ts
// compares our /graphql with it in one process. Off by default: it has none of our limits or error codes.
// It takes the default export: the `* as` namespace also holds `default`, which Ponder's schema walk rejects.
if (process.env.LOOM_PONDER_GRAPHQL === '1') app.use('/ponder-graphql', graphql({ db, schema: ponderSchema }));

export default app;
