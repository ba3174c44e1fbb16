/**
 * PostgreSQL column types -> DuckDB types. Values travel as PostgreSQL's own text output (exact,
 * no JavaScript number rounding) and DuckDB casts them, so the mapping is the whole contract.
 */

export interface PgColumn {
  readonly name: string;
  /** pg_type.typname (of the base type, for domains), e.g. `int4`, `_text`. */
  readonly typname: string;
  /** pg_type.typcategory: `A` array, `N` numeric, `S` string, `D` date/time... */
  readonly category: string;
  /** pg_attribute.atttypmod: precision/scale of numeric, -1 when none. */
  readonly typmod: number;
  /** format_type(): how PostgreSQL spells the type, for messages. */
  readonly formatted: string;
}

export interface MappedType {
  /** DuckDB type of the staged column. */
  readonly duckdbType: string;
  /** SQL turning the VARCHAR text `expr` into that type. */
  cast(expr: string): string;
  /** The same conversion giving NULL instead of failing (to find values that don't fit); absent when it can't fail. */
  tryCast?(expr: string): string;
  /** Why a lossless mapping was not possible, when it wasn't. */
  readonly note?: string;
}

const SIMPLE: Record<string, string> = {
  int2: 'SMALLINT', int4: 'INTEGER', int8: 'BIGINT', oid: 'BIGINT',
  float4: 'FLOAT', float8: 'DOUBLE', bool: 'BOOLEAN',
  text: 'VARCHAR', varchar: 'VARCHAR', bpchar: 'VARCHAR', char: 'VARCHAR', name: 'VARCHAR', citext: 'VARCHAR',
  date: 'DATE', timestamp: 'TIMESTAMP', timestamptz: 'TIMESTAMPTZ', time: 'TIME',
  uuid: 'UUID', json: 'JSON', jsonb: 'JSON',
};

/**
 * PostgreSQL writes BC dates as `0044-03-15 BC` / `0044-03-15 10:00:00+00 BC`; DuckDB reads
 * `0044-03-15 (BC) 10:00:00` and would silently take the first form as AD. Move the marker.
 */
const DATE_TYPES = new Set(['DATE', 'TIMESTAMP', 'TIMESTAMPTZ']);
const bcAware = (type: string, expr: string) =>
  DATE_TYPES.has(type) ? `regexp_replace(${expr}, '^([0-9]+-[0-9]{2}-[0-9]{2})(.*) BC$', '\\1 (BC)\\2')` : expr;
const castTo = (type: string) => (expr: string) => (type === 'VARCHAR' ? expr : `CAST(${bcAware(type, expr)} AS ${type})`);
const tryCastTo = (type: string) => (expr: string) => `TRY_CAST(${bcAware(type, expr)} AS ${type})`;

/**
 * The DuckDB type for a PostgreSQL column.
 *
 * @example
 * ```ts
 * mapPgType({ name: 'price', typname: 'numeric', category: 'N', typmod: 655366, formatted: 'numeric(10,2)' }).duckdbType;
 * // 'DECIMAL(10,2)'
 * ```
 */
export function mapPgType(col: PgColumn): MappedType {
  if (col.category === 'A') return { duckdbType: 'VARCHAR', cast: castTo('VARCHAR') };
  if (col.typname === 'numeric') {
    if (col.typmod < 0)
      return { duckdbType: 'VARCHAR', cast: castTo('VARCHAR'), note: `${col.formatted} has no precision; staged as exact text so no digit is lost` };
    const precision = ((col.typmod - 4) >> 16) & 0xffff;
    const scale = (col.typmod - 4) & 0xffff;
    if (precision <= 38 && scale <= precision) {
      const type = `DECIMAL(${precision},${scale})`;
      return { duckdbType: type, cast: castTo(type), tryCast: tryCastTo(type) };
    }
    return { duckdbType: 'VARCHAR', cast: castTo('VARCHAR'), note: `${col.formatted} exceeds DuckDB's DECIMAL(38); staged as exact text` };
  }
  // bytea's text form is `\x0a1b...`: hex after the prefix.
  if (col.typname === 'bytea') return { duckdbType: 'BLOB', cast: (expr) => `from_hex(substr(${expr}, 3))` };
  const simple = SIMPLE[col.typname];
  if (simple && simple !== 'VARCHAR') return { duckdbType: simple, cast: castTo(simple), tryCast: tryCastTo(simple) };
  return { duckdbType: 'VARCHAR', cast: castTo('VARCHAR') };
}
