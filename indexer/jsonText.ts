/**
 * `jsonText()`: a `json` column that indexing functions write as JSON text (already serialized) and
 * that reads back parsed, exactly like Ponder's `t.json()`.
 *
 * Why: Ponder's store is built for flat rows. Every value handed to `context.db` is deep-copied
 * (`structuredClone` of the whole row as soon as one column holds an object), normalised through
 * the column (`t.json()`: JSON.stringify then JSON.parse), sized by walking every nested value, and
 * serialized once more for COPY at each flush. For `job_event.args`, written for every event, that
 * was most of the cost of the log. Given JSON text instead, the row is flat: each of those steps is a
 * string copy. The database column is the same `json` holding the same text, so everything that
 * reads it (the API, the state digest, Ponder's GraphQL) gets the same parsed value as before.
 *
 * Contract: write `JSON.stringify(value)` (a value that is not a string is serialized here, so a row
 * read back from the database can be written again), and use it only for a column that indexing
 * functions never read back through `context.db`: Ponder's in-memory copy of the row holds the text,
 * not the value.
 */
import { entityKind, type ColumnBaseConfig, type ColumnBuilderBaseConfig } from 'drizzle-orm';
import { json, PgJson, PgJsonBuilder } from 'drizzle-orm/pg-core';

class PgJsonText extends PgJson<ColumnBaseConfig<'json', 'PgJson'>> {
  static override readonly [entityKind]: string = 'PgJsonText';

  override mapToDriverValue(value: unknown): string {
    return typeof value === 'string' ? value : JSON.stringify(value);
  }

  // Drivers hand `json` columns back parsed (node-postgres and PGlite alike).
  override mapFromDriverValue(value: unknown): unknown {
    return value;
  }
}

class PgJsonTextBuilder extends PgJsonBuilder<ColumnBuilderBaseConfig<'json', 'PgJson'>> {
  static override readonly [entityKind]: string = 'PgJsonTextBuilder';

  /** @internal Called by drizzle when the table is built (declared internal in its types). */
  build(table: ConstructorParameters<typeof PgJsonText>[0]): PgJsonText {
    return new PgJsonText(table, this.config as ConstructorParameters<typeof PgJsonText>[1]);
  }
}

/** A `json` column written as JSON text: see the file comment. Typed like `t.json()`. */
export function jsonText(): ReturnType<typeof json> {
  return new PgJsonTextBuilder('') as unknown as ReturnType<typeof json>;
}
