/**
 * Ponder's API entry: serves the GraphQL API (api/) from Ponder's read-only database.
 * Ponder rebuilds this module on hot reload; the app is built here, from the `db` it hands us.
 */
import { db } from 'ponder:api';
import * as schema from 'ponder:schema';
import { createApi } from '../../../api/createApi';
import { foldJob } from '../fold/job';

export default createApi({ db, tables: schema, foldJob });
