/**
 * DuckDB values as JSON, read from DuckDB's own value classes (never through JS `Date`, which
 * cuts microseconds, adds a `Z` to zone-less timestamps and cannot hold `infinity`). Scalars keep
 * the text DuckDB prints (`2024-01-01 10:00:00.123456`, `infinity`, BIT `10101`, intervals
 * `1 year 2 months 04:05:06`); numbers stay JSON numbers where the number is exact, and become
 * DuckDB's text where it is not (big integers, long decimals, `nan`/`inf`). Lists, arrays and
 * structs stay JSON arrays and objects, maps `[{ key, value }]`, unions `{ tag, value }`.
 */
import {
  arrayFromArrayValue, arrayFromListValue, createDuckDBValueConverter, DuckDBDateValue, DuckDBDecimalValue, DuckDBTimestampMillisecondsValue,
  DuckDBTimestampNanosecondsValue, DuckDBTimestampSecondsValue, DuckDBTimestampTZValue, DuckDBTimestampValue, DuckDBTypeId, fromVariantValue,
  objectArrayFromMapValue, objectFromStructValue, objectFromUnionValue, type DuckDBValueConverter,
} from '@duckdb/node-api';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** The library's converters return `T | null` themselves, so T is the non-null part. */
type Converter = DuckDBValueConverter<Exclude<JsonValue, null>>;

const text: Converter = (v) => String(v);
const bool: Converter = (v) => v === true;

/** Whole numbers as JSON numbers while exact (within 2^53), else their decimal text. */
const integer: Converter = (v) => {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
  return String(v);
};

/** NaN and infinities have no JSON number: DuckDB's own spelling (`nan`, `inf`, `-inf`). */
const nonFinite = (n: number) => (Number.isNaN(n) ? 'nan' : n > 0 ? 'inf' : '-inf');

const double: Converter = (v) => (typeof v !== 'number' ? String(v) : Number.isFinite(v) ? v : nonFinite(v));

/** A FLOAT as the shortest decimal that reads back as the same float (0.1, not 0.10000000149011612), as DuckDB prints it. */
const float: Converter = (v) => {
  if (typeof v !== 'number') return String(v);
  if (!Number.isFinite(v)) return nonFinite(v);
  for (let p = 1; p <= 9; p++) {
    const n = Number(v.toPrecision(p));
    if (Math.fround(n) === v) return n;
  }
  return v;
};

/** A DECIMAL as a number when that number prints as the same decimal (12.80 -> 12.8), else DuckDB's exact text. */
const decimal: Converter = (v) => {
  if (!(v instanceof DuckDBDecimalValue)) return String(v);
  const exact = v.toString();
  const n = Number(exact);
  const canonical = exact.includes('.') ? exact.replace(/0+$/, '').replace(/\.$/, '') : exact;
  return String(n) === canonical ? n : exact;
};

type FiniteAware = DuckDBDateValue | DuckDBTimestampSecondsValue | DuckDBTimestampMillisecondsValue | DuckDBTimestampNanosecondsValue;

/**
 * DATE and TIMESTAMP_S/_MS/_NS: the library's `toString()` prints their infinities as far-off
 * dates (`5881580-07-11`), so those are spelled out as DuckDB does.
 */
const dateLike: Converter = (v) => {
  const value = v as FiniteAware;
  if (value.isFinite) return value.toString();
  const raw = value instanceof DuckDBDateValue ? value.days
    : value instanceof DuckDBTimestampSecondsValue ? value.seconds
    : value instanceof DuckDBTimestampMillisecondsValue ? value.millis
    : value.nanos;
  return raw > 0 ? 'infinity' : '-infinity';
};

/**
 * TIMESTAMPTZ in UTC with its `+00` offset. DuckDB stores the instant only; the library would
 * otherwise print it in the process's current offset, which is wrong across a DST change.
 */
const timestampTz: Converter = (v) => {
  if (!(v instanceof DuckDBTimestampTZValue)) return String(v);
  if (!v.isFinite) return v.micros > 0n ? 'infinity' : '-infinity';
  return `${new DuckDBTimestampValue(v.micros).toString()}+00`;
};

const BY_TYPE: Record<DuckDBTypeId, Converter | undefined> = {
  [DuckDBTypeId.INVALID]: text,
  [DuckDBTypeId.BOOLEAN]: bool,
  [DuckDBTypeId.TINYINT]: integer,
  [DuckDBTypeId.SMALLINT]: integer,
  [DuckDBTypeId.INTEGER]: integer,
  [DuckDBTypeId.BIGINT]: integer,
  [DuckDBTypeId.UTINYINT]: integer,
  [DuckDBTypeId.USMALLINT]: integer,
  [DuckDBTypeId.UINTEGER]: integer,
  [DuckDBTypeId.UBIGINT]: integer,
  [DuckDBTypeId.HUGEINT]: integer,
  [DuckDBTypeId.UHUGEINT]: integer,
  [DuckDBTypeId.BIGNUM]: integer,
  [DuckDBTypeId.FLOAT]: float,
  [DuckDBTypeId.DOUBLE]: double,
  [DuckDBTypeId.DECIMAL]: decimal,
  [DuckDBTypeId.TIMESTAMP]: text,
  [DuckDBTypeId.TIMESTAMP_S]: dateLike,
  [DuckDBTypeId.TIMESTAMP_MS]: dateLike,
  [DuckDBTypeId.TIMESTAMP_NS]: dateLike,
  [DuckDBTypeId.TIMESTAMP_TZ]: timestampTz,
  [DuckDBTypeId.DATE]: dateLike,
  [DuckDBTypeId.TIME]: text,
  [DuckDBTypeId.TIME_NS]: text,
  [DuckDBTypeId.TIME_TZ]: text,
  [DuckDBTypeId.INTERVAL]: text,
  [DuckDBTypeId.VARCHAR]: text,
  [DuckDBTypeId.ENUM]: text,
  [DuckDBTypeId.UUID]: text,
  [DuckDBTypeId.BLOB]: text,
  [DuckDBTypeId.BIT]: text,
  [DuckDBTypeId.GEOMETRY]: text,
  [DuckDBTypeId.LIST]: arrayFromListValue,
  [DuckDBTypeId.ARRAY]: arrayFromArrayValue,
  [DuckDBTypeId.STRUCT]: objectFromStructValue,
  [DuckDBTypeId.MAP]: objectArrayFromMapValue,
  [DuckDBTypeId.UNION]: objectFromUnionValue,
  [DuckDBTypeId.VARIANT]: fromVariantValue,
  [DuckDBTypeId.SQLNULL]: () => null,
  [DuckDBTypeId.ANY]: text,
  [DuckDBTypeId.STRING_LITERAL]: text,
  [DuckDBTypeId.INTEGER_LITERAL]: text,
};

/**
 * Converts one DuckDB value of a result column to JSON; pass it to `reader.convertRows`.
 *
 * @example
 * ```ts
 * const reader = await conn.runAndReadAll("SELECT TIMESTAMP '2024-01-01 10:00:00.123456' AS ts, 'infinity'::DATE AS d");
 * reader.convertRows(jsonValueConverter); // [['2024-01-01 10:00:00.123456', 'infinity']]
 * ```
 */
export const jsonValueConverter: Converter = createDuckDBValueConverter(BY_TYPE);
