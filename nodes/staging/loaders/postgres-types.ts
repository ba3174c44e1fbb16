/**
 * PostgreSQL column types -> DuckDB types. Values travel as PostgreSQL's own text output (exact,
 * no JavaScript number rounding) and DuckDB casts them, so the mapping is the whole contract. The
 * loader fixes every session setting that text depends on (DateStyle, IntervalStyle, bytea_output,
 * TimeZone, extra_float_digits), so the database's or role's defaults can't change it.
 */

export interface PgColumn {
  readonly name: string;
  /** pg_type.typname of the type with every domain level resolved to its base, e.g. `int4`, `_text`. */
  readonly typname: string;
  /** pg_type.typcategory: `A` array, `N` numeric, `S` string, `D` date/time... */
  readonly category: string;
  /** Type modifier (the column's, else the nearest domain's): precision/scale of numeric, -1 when none. */
  readonly typmod: number;
  /** format_type(): how PostgreSQL spells the type, for messages. */
  readonly formatted: string;
  /** For an array column: its element type, domains resolved. */
  readonly element?: PgColumn;
}

/** What the connection's settings decide about the mapping. */
export interface PgSession {
  /** Fraction digits of `money` under the session's lc_monetary (`scale('0'::money::numeric)`). */
  readonly moneyScale: number;
}

export interface MappedType {
  /** DuckDB type of the staged column. */
  readonly duckdbType: string;
  /** PostgreSQL SQL reading the column `expr` as the text DuckDB casts; absent when it is the column's own output. */
  select?(expr: string): string;
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
  date: 'DATE', timestamp: 'TIMESTAMP', timestamptz: 'TIMESTAMPTZ', time: 'TIME', timetz: 'TIMETZ',
  // IntervalStyle postgres_verbose (`@ 1 mon -1 days 2 hours ago`) is the one DuckDB reads whatever the signs.
  interval: 'INTERVAL',
  uuid: 'UUID', json: 'JSON', jsonb: 'JSON', bit: 'BIT', varbit: 'BIT',
};

/** Categories whose values are text by nature (strings, enum labels): VARCHAR loses nothing there. */
const TEXT_CATEGORIES = new Set(['S', 'E']);

/**
 * PostgreSQL writes BC dates as `0044-03-15 BC` / `0044-03-15 10:00:00+00 BC`; DuckDB reads
 * `0044-03-15 (BC) 10:00:00` and would silently take the first form as AD. Move the marker.
 */
const DATE_TYPES = new Set(['DATE', 'TIMESTAMP', 'TIMESTAMPTZ']);
const bcAware = (type: string, expr: string) =>
  DATE_TYPES.has(type) ? `regexp_replace(${expr}, '^([0-9]+-[0-9]{2}-[0-9]{2})(.*) BC$', '\\1 (BC)\\2')` : expr;
const castTo = (type: string) => (expr: string) => (type === 'VARCHAR' ? expr : `CAST(${bcAware(type, expr)} AS ${type})`);
const tryCastTo = (type: string) => (expr: string) => `TRY_CAST(${bcAware(type, expr)} AS ${type})`;
const asText = (note?: string): MappedType => ({ duckdbType: 'VARCHAR', cast: castTo('VARCHAR'), note });

/**
 * The DuckDB type for a PostgreSQL column.
 *
 * @example
 * ```ts
 * mapPgType({ name: 'price', typname: 'numeric', category: 'N', typmod: 655366, formatted: 'numeric(10,2)' }).duckdbType;
 * // 'DECIMAL(10,2)'
 * ```
 */
export function mapPgType(col: PgColumn, session: PgSession = { moneyScale: 2 }): MappedType {
  if (col.category === 'A') return col.element ? mapArray(col, col.element, session) : asText(`${col.formatted} has no DuckDB type; staged as text`);
  if (col.typname === 'numeric') {
    if (col.typmod < 0) return asText(`${col.formatted} has no precision; staged as exact text so no digit is lost`);
    // typmod - 4 = precision << 16 | scale, the scale a signed 11-bit value since PostgreSQL 15.
    const precision = ((col.typmod - 4) >> 16) & 0xffff;
    const scale = (((col.typmod - 4) & 0x7ff) ^ 0x400) - 0x400;
    // numeric(5,-2) holds 9999900 (7 integer digits); numeric(3,5) holds 0.00999 (5 fraction digits).
    const width = scale < 0 ? precision - scale : Math.max(precision, scale);
    const type = `DECIMAL(${width},${Math.max(scale, 0)})`;
    if (width <= 38) return { duckdbType: type, cast: castTo(type), tryCast: tryCastTo(type) };
    return asText(`${col.formatted} exceeds DuckDB's DECIMAL(38); staged as exact text`);
  }
  if (col.typname === 'money') {
    // Read as numeric so the locale's currency format never reaches DuckDB; money is an int64 of
    // the smallest unit, so 19 digits hold every value.
    const type = `DECIMAL(${Math.max(19, session.moneyScale)},${session.moneyScale})`;
    return { duckdbType: type, select: (expr) => `(${expr})::numeric`, cast: castTo(type), tryCast: tryCastTo(type) };
  }
  // bytea's text form (bytea_output = 'hex') is `\x0a1b...`: hex after the prefix.
  if (col.typname === 'bytea') return { duckdbType: 'BLOB', cast: (expr) => `from_hex(substr(${expr}, 3))` };
  const simple = SIMPLE[col.typname];
  if (simple === 'VARCHAR' || (!simple && TEXT_CATEGORIES.has(col.category))) return asText();
  if (simple) return { duckdbType: simple, cast: castTo(simple), tryCast: tryCastTo(simple) };
  return asText(`${col.formatted} has no DuckDB type; staged as text`);
}

/**
 * An array becomes a DuckDB LIST of its element's type when that maps losslessly. It travels as a
 * JSON array of the elements' own text (`array_to_json(col::text[])`), so quoting and NULLs are
 * JSON's and each element converts exactly like a column of its type. A multi-dimensional array
 * travels as its plain JSON instead, which the fit check rejects, so the column is staged as that
 * JSON text; an element type without a lossless mapping makes the whole column JSON.
 */
function mapArray(col: PgColumn, element: PgColumn, session: PgSession): MappedType {
  const inner = mapPgType(element, session);
  if (inner.note) {
    return {
      duckdbType: 'JSON',
      select: (expr) => `array_to_json(${expr})::text`,
      cast: (expr) => `CAST(${expr} AS JSON)`,
      note: `${col.formatted} has elements without a lossless DuckDB type (${inner.note}); staged as JSON text`,
    };
  }
  const type = `${inner.duckdbType}[]`;
  // money[] must become numeric[] first, like a money column; other elements go straight to text.
  const readAs = element.typname === 'money' ? (expr: string) => `(${expr})::numeric[]` : (expr: string) => expr;
  const texts = (expr: string) => `CAST(CAST(${expr} AS JSON) AS VARCHAR[])`;
  const tryTexts = (expr: string) => `TRY_CAST(TRY_CAST(${expr} AS JSON) AS VARCHAR[])`;
  const tryElement = inner.tryCast ?? inner.cast;
  return {
    duckdbType: type,
    select: (expr) => `(CASE WHEN array_ndims(${expr}) > 1 THEN array_to_json(${readAs(expr)}) ELSE array_to_json(${readAs(expr)}::text[]) END)::text`,
    cast: (expr) => `list_transform(${texts(expr)}, lambda _pg_element: ${inner.cast('_pg_element')})`,
    // One dimension of strings and NULLs (`[]` and all-NULL read as ["NULL"]), every element converting.
    tryCast: (expr) =>
      `CASE WHEN json_structure(TRY_CAST(${expr} AS JSON)) IN ('["VARCHAR"]', '["NULL"]')
              AND len(list_filter(${tryTexts(expr)}, lambda _pg_element: _pg_element IS NOT NULL AND ${tryElement('_pg_element')} IS NULL)) = 0
            THEN list_transform(${tryTexts(expr)}, lambda _pg_element: ${tryElement('_pg_element')}) END`,
  };
}
