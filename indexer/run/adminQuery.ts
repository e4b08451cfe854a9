/**
 * One administrative statement (CREATE or DROP of a database or schema) on a connection of its own,
 * closed afterwards: never borrowed from a pool that a running indexer or API holds.
 */
import pg from 'pg';

export async function adminQuery(databaseUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Drops `schema` and everything in it, if it exists. */
export function dropSchema(databaseUrl: string, schema: string): Promise<void> {
  return adminQuery(databaseUrl, `DROP SCHEMA IF EXISTS "${schema.replaceAll('"', '""')}" CASCADE`);
}
