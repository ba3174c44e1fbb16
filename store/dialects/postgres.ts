/** The PostgreSQL side of the store: a pg pool whose type parsers give the same JS values as SQLite. */
import { PostgresDialect } from 'kysely';
import pg from 'pg';

// OIDs of the types whose default pg parsing differs from what the store promises (schema/values.ts).
const INT8 = 20;
const NUMERIC = 1700;
const TIMESTAMPTZ = 1184;
const TIMESTAMP = 1114;

/**
 * Type parsers local to this pool (pg's global `types.setTypeParser` would change every other pg
 * user in the process): bigint/count and numeric as numbers, timestamps as ISO-8601 strings.
 */
export const storeTypeParsers: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (format === 'binary') return pg.types.getTypeParser(oid, 'binary');
    switch (oid) {
      case INT8:
      case NUMERIC:
        return (text: string) => Number(text);
      case TIMESTAMPTZ:
      case TIMESTAMP: {
        const toDate = pg.types.getTypeParser(oid, 'text') as (text: string) => Date | number;
        return (text: string) => {
          const date = toDate(text);
          // 'infinity' parses to a number; hand the text back rather than an invalid date.
          return date instanceof Date && !Number.isNaN(date.getTime()) ? date.toISOString() : text;
        };
      }
      default:
        return pg.types.getTypeParser(oid, 'text');
    }
  }) as pg.CustomTypesConfig['getTypeParser'],
};

export interface PostgresPool {
  dialect: PostgresDialect;
  pool: pg.Pool;
}

export function postgresDialect(url: string, maxConnections = 10): PostgresPool {
  const pool = new pg.Pool({ connectionString: url, max: maxConnections, types: storeTypeParsers });
  // An idle client losing its connection emits 'error' on the pool; unhandled, that would crash
  // the process. The pool drops the client and the next query reports the failure.
  pool.on('error', () => {});
  return { dialect: new PostgresDialect({ pool }), pool };
}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable database URL)';
  }
}
