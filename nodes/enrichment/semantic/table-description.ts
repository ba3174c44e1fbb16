/**
 * The sentence that describes a table. Semantic enrichment writes one before topology has run, so
 * its measures may be keys another table references; the context document says it again, from the
 * roles it settled and the relationships found.
 */
import { humanize } from './names.ts';

export interface TableFacts {
  readonly kind: 'fact' | 'dimension' | 'other';
  readonly entityType: string;
  readonly rowCount: number;
  readonly grain: readonly string[];
  readonly primaryTimeColumn: string | null;
  /** The columns whose settled role is `measure`. */
  readonly measures: readonly string[];
  /** Tables this one references, each once. */
  readonly refersTo: readonly string[];
}

const words = (name: string) => humanize(name).toLowerCase();

/**
 * @example
 * ```ts
 * describeTable({ kind: 'other', entityType: 'miserable_node', rowCount: 1, grain: ['index'], primaryTimeColumn: null, measures: ['group_'], refersTo: [] });
 * // 'Table of miserable node records, 1 row; one row per index; measures: group.'
 * ```
 */
export function describeTable(t: TableFacts): string {
  const kind = t.kind === 'fact' ? 'Fact table' : t.kind === 'dimension' ? 'Dimension table' : 'Table';
  const parts = [`${kind} of ${words(t.entityType)} records, ${t.rowCount} row${t.rowCount === 1 ? '' : 's'}`];
  if (t.grain.length) parts.push(`one row per ${t.grain.map(words).join(' + ')}`);
  if (t.measures.length) parts.push(`measures: ${t.measures.map(words).join(', ')}`);
  if (t.refersTo.length) parts.push(`refers to ${t.refersTo.join(', ')}`);
  if (t.primaryTimeColumn) parts.push(`over ${words(t.primaryTimeColumn)}`);
  return `${parts.join('; ')}.`;
}
