/**
 * Scoring detected foreign keys against declared ones: precision and recall over column-level
 * links, composite keys compared as sets of (child column, parent column) pairs.
 */

/** A foreign key by names only: what a database declares or what detection found. */
export interface ForeignKeyRef {
  readonly fromTable: string;
  readonly fromColumns: readonly string[];
  readonly toTable: string;
  readonly toColumns: readonly string[];
}

export interface Evaluation {
  /** Found that are declared / found; 1 when nothing was found. */
  readonly precision: number;
  /** Declared that were found / declared; 1 when nothing is declared. */
  readonly recall: number;
  readonly truePositives: readonly string[];
  readonly falsePositives: readonly string[];
  readonly falseNegatives: readonly string[];
}

/** `orders(customer_id)->customers(id)`, with composite column pairs in a canonical order. */
export function _foreignKeyId(fk: ForeignKeyRef): string {
  const pairs = fk.fromColumns.map((c, i) => [c, fk.toColumns[i]] as const).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return `${fk.fromTable}(${pairs.map((p) => p[0]).join(',')})->${fk.toTable}(${pairs.map((p) => p[1]).join(',')})`;
}

/**
 * Precision and recall of `found` against `expected` (exact match of tables and column pairs).
 *
 * @example
 * ```ts
 * const e = _evaluate(
 *   [{ fromTable: 'orders', fromColumns: ['customer_id'], toTable: 'customers', toColumns: ['id'] }],
 *   result.relationships,
 * );
 * console.log(e.precision, e.recall, e.falsePositives);
 * ```
 */
export function _evaluate(expected: readonly ForeignKeyRef[], found: readonly ForeignKeyRef[]): Evaluation {
  const want = new Set(expected.map(_foreignKeyId));
  const got = new Set(found.map(_foreignKeyId));
  const truePositives = [...got].filter((k) => want.has(k)).sort();
  const falsePositives = [...got].filter((k) => !want.has(k)).sort();
  const falseNegatives = [...want].filter((k) => !got.has(k)).sort();
  return {
    precision: got.size ? truePositives.length / got.size : 1,
    recall: want.size ? truePositives.length / want.size : 1,
    truePositives, falsePositives, falseNegatives,
  };
}
