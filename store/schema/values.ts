/**
 * Column value types shared by every table, identical on SQLite and PostgreSQL.
 *
 * - Timestamps are ISO-8601 strings in UTC with milliseconds (`2026-01-02T03:04:05.678Z`) on
 *   read. On write a `Date` or any string `new Date()` parses is accepted and normalized to that
 *   form, so values compare and sort the same on both dialects.
 * - JSON columns hold plain JS values (objects, arrays, strings, numbers, booleans); SQL NULL is
 *   `null`. Values compare equal on both dialects, but PostgreSQL's jsonb does not keep the order
 *   of object keys: canonicalize before hashing a stored JSON value. jsonb also rejects the NUL
 *   character (\u0000) in strings, which SQLite accepts.
 * - Booleans are booleans (SQLite stores 0/1; the store converts).
 * - Integer counts are numbers (PostgreSQL bigint is parsed to a number; precise below 2^53).
 * - Ids are uuids generated in JS (`crypto.randomUUID()`), strings on both dialects.
 */
import type { ColumnType, Generated } from 'kysely';

/** A timestamp column: ISO string on read, ISO string or Date on write. */
export type Timestamp = ColumnType<string, string | Date, string | Date>;
/** A timestamp column that defaults to the current time when omitted on insert. */
export type DefaultTimestamp = ColumnType<string, string | Date | undefined, string | Date>;
/** A nullable timestamp column. */
export type NullableTimestamp = ColumnType<string | null, string | Date | null | undefined, string | Date | null>;

/** Any value JSON can represent. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };
/** A JSON column holding `T` (default: any JSON). Nullable JSON columns are `Json<T> | null`. */
export type Json<T = unknown> = T;

/** A boolean column with a database default. */
export type DefaultBoolean = Generated<boolean>;

export type { Generated };
