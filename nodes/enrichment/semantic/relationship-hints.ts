/**
 * Relationship input, normalized: plain hints pass through; topology's foreign keys become one hint
 * per column pair (composite keys marked, so that joins are not built on half a key).
 */
import type { RelationshipHint, RelationshipsInput } from './types.ts';

/**
 * @example
 * ```ts
 * relationshipHints({ relationships: [{ fromTable: 'sales', fromColumns: ['customer_id'], toTable: 'customers', toColumns: ['id'], confidence: 0.9 }] });
 * // [{ fromTable: 'sales', fromColumn: 'customer_id', toTable: 'customers', toColumn: 'id', confidence: 0.9 }]
 * ```
 */
export function relationshipHints(input?: RelationshipsInput): RelationshipHint[] {
  if (!input) return [];
  if (!('relationships' in input)) {
    return (input as readonly RelationshipHint[]).map((r) => ({
      fromTable: r.fromTable, fromColumn: r.fromColumn, toTable: r.toTable, toColumn: r.toColumn, confidence: r.confidence,
      ...(r.composite ? { composite: true } : {}),
    }));
  }
  return input.relationships.flatMap((r) => {
    if (r.fromColumns.length !== r.toColumns.length) {
      throw new Error(`Relationship ${r.fromTable}(${r.fromColumns.join(', ')}) -> ${r.toTable}(${r.toColumns.join(', ')}): the two sides have different numbers of columns; fix the relationship detection that produced it`);
    }
    const composite = r.fromColumns.length > 1;
    return r.fromColumns.map((fromColumn, i) => ({
      fromTable: r.fromTable, fromColumn, toTable: r.toTable, toColumn: r.toColumns[i]!, confidence: r.confidence,
      ...(composite ? { composite: true } : {}),
    }));
  });
}
