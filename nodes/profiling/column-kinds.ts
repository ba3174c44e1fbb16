/** Classifies DuckDB type names the way profiling and typing need them. */

/** Integer, floating point and fixed point types. */
export function isNumericType(type: string): boolean {
  return !isNestedType(type) && /^(TINYINT|SMALLINT|INTEGER|INT|INT1|INT2|INT4|INT8|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|FLOAT4|FLOAT8|REAL|DOUBLE|DECIMAL|NUMERIC|VARINT|BIGNUM)\b/i.test(type.trim());
}

/** Text types (what untyped and weak sources are staged as). */
export function isTextType(type: string): boolean {
  return /^(VARCHAR|TEXT|STRING|CHAR|BPCHAR)\b/i.test(type.trim()) && !/[[\]]/.test(type);
}

/** Lists, structs, maps, unions and arrays: compared and counted through their text form. */
export function isNestedType(type: string): boolean {
  return /^(STRUCT|MAP|UNION|LIST)\b/i.test(type.trim()) || /\[\d*\]\s*$/.test(type.trim());
}
