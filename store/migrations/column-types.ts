/**
 * The column types and defaults that differ between SQLite and PostgreSQL, so a migration says
 * `col.uuid()` once and gets `text` on SQLite and `uuid` on PostgreSQL.
 */
import { sql, type ColumnDataType, type Expression, type RawBuilder } from 'kysely';
import type { StoreDialect } from '../value-codec-plugin.ts';

export interface ColumnTypes {
  readonly dialect: StoreDialect;
  /** Ids: `uuid` / TEXT. */
  uuid(): ColumnDataType;
  /** JSON documents: `jsonb` / TEXT. */
  json(): ColumnDataType;
  /** Points in time: `timestamptz` / ISO-8601 TEXT. */
  timestamp(): ColumnDataType;
  /** `boolean` / INTEGER 0|1. */
  boolean(): ColumnDataType;
  /** Counts and sizes: `bigint` / INTEGER. */
  bigint(): ColumnDataType;
  /** Ratios, confidences, measures: `double precision` / REAL. */
  double(): ColumnDataType;
  /** Default for a timestamp column: now, in the same form the store writes. */
  now(): RawBuilder<unknown>;
  /** A CHECK expression: `column IN (...values)`. */
  oneOf(column: string, values: readonly string[]): Expression<unknown>;
}

export function columnTypes(dialect: StoreDialect): ColumnTypes {
  const pg = dialect === 'postgres';
  return Object.freeze({
    dialect,
    uuid: () => (pg ? 'uuid' : 'text'),
    json: () => (pg ? 'jsonb' : 'text'),
    timestamp: () => (pg ? 'timestamptz' : 'text'),
    boolean: () => (pg ? 'boolean' : 'integer'),
    bigint: () => (pg ? 'bigint' : 'integer'),
    double: () => (pg ? 'double precision' : 'real'),
    // SQLite needs an expression default in parentheses; %f gives seconds with milliseconds.
    now: () => (pg ? sql`now()` : sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`),
    oneOf: (column: string, values: readonly string[]) =>
      sql`${sql.ref(column)} in (${sql.join(values.map((v) => sql.lit(v)))})`,
  } satisfies ColumnTypes);
}
