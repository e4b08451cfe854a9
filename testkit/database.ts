/**
 * PostgreSQL for tests: the server (DATABASE_URL, else the local one on 127.0.0.1:5432) and new
 * databases on it, each registered with the reaper so that a failed setup drops it too.
 */
import { type TestDatabase, freshDatabase } from '../indexer/run/ponderProcess';
import { register } from './reaper';

/** The PostgreSQL server tests use when DATABASE_URL does not name one. */
export const postgresServer = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

/** A new, empty database on the server at `serverUrl`; `drop()` (or the teardown) removes it. */
export async function createDatabase(serverUrl: string, prefix?: string): Promise<TestDatabase> {
  const database = await freshDatabase(serverUrl, prefix);
  const drop = register({ name: `database ${database.name}`, stop: database.drop });
  return { ...database, drop };
}
