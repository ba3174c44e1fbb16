/**
 * Which columns identify rows or point at other tables. Rules leave them out of ranges, and
 * scores raise no outlier or skew anomaly on them: the spread of an id is not a measurement.
 */
import type { SemanticAnnotations } from '../enrichment/semantic/types.ts';
import type { TypedTable } from '../enrichment/types.ts';
import { isNumericType } from './rule-sql.ts';
import type { RuleResult } from './types.ts';

const KEY_NAME = /(^|_)(id|key|code|uuid|guid|iata|icao|sku|isbn)$/;

/** Identifier-like names, after camelCase and punctuation become `_`: `customer_id`, `CustomerId`, `order key`. */
export const isKeyName = (name: string) => KEY_NAME.test(name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, ''));

/**
 * The identifier columns of `table`: semantic role `key` or `foreign_key`, the table's
 * one-column grain, the column of a one-column unique rule or of a referential rule that ran, or
 * (whatever the annotation says: a repeated id with no detected relationship is annotated as a
 * dimension) a numeric column named like an id, DOUBLE ids from JSON included.
 *
 * @example
 * ```ts
 * identifierColumns(orders, results.results, annotations); // Set { 'order_id', 'customer_id' }
 * ```
 */
export function identifierColumns(table: TypedTable, results: readonly RuleResult[], annotations?: SemanticAnnotations): Set<string> {
  const ids = new Set<string>();
  const grain = annotations?.tables[table.name]?.grainColumns ?? [];
  if (grain.length === 1) ids.add(grain[0]!);
  for (const r of results) {
    if (r.table !== table.name) continue;
    if (r.type === 'referential_integrity' || (r.type === 'unique' && r.columns.length === 1)) for (const c of r.columns) ids.add(c);
  }
  for (const column of table.columns) {
    const role = annotations?.columns[table.name]?.[column.name]?.role;
    if (role === 'key' || role === 'foreign_key' || (isKeyName(column.name) && isNumericType(column.type))) ids.add(column.name);
  }
  return ids;
}
