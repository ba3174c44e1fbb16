/**
 * Records detected relationships and join paths in the metadata store. A relationship row is
 * keyed by its (from column, to column) pair: replays update the detection in place and never
 * touch `is_confirmed` / `confirmed_at` / `confirmed_by`, so a person's confirmation survives
 * re-detection. Unconfirmed rows that topology wrote earlier and no longer detects are removed;
 * join paths of the source's tables are replaced as a whole (they are derived).
 */
import type { JsonObject, RelationshipsTable, StoreContext } from '../../../store/index.ts';
import type { TypedSource } from '../types.ts';
import type { JoinPathsResult, RelationshipsResult, StoredRelationships } from './types.ts';

/** `detection_method` values topology writes; only rows with these are topology's to remove. */
const OWN_METHODS = ['value_and_name', 'value', 'name', 'bridge'];
const OWN_TYPES = ['foreign_key', 'many_to_many'];

/** A `relationships` row as topology writes it: every field it owns set. */
type RelationshipRow = Pick<RelationshipsTable, 'relationshipId' | 'fromTableId' | 'fromColumnId' | 'toTableId' | 'toColumnId' | 'relationshipType'> & {
  cardinality: string;
  confidence: number;
  detectionMethod: string;
  evidence: JsonObject;
  detectedAt: string;
};

const json = (v: unknown) => JSON.parse(JSON.stringify(v)) as JsonObject;

/**
 * Relationships and join paths, written to `relationships` and `join_paths` (one transaction).
 * @tag module=topology
 * @cache disable
 */
export async function storedRelationships(relationships: RelationshipsResult, joinPaths: JoinPathsResult, typedSource: TypedSource, store: StoreContext): Promise<StoredRelationships> {
  const warnings: string[] = [];
  const tables = new Map(typedSource.tables.map((t) => [t.name, t]));
  const tableId = (table: string) => tables.get(table)?.tableId;
  const columnId = (table: string, column: string) => tables.get(table)?.columns.find((c) => c.name === column)?.columnId;
  const missing = typedSource.tables.filter((t) => !t.tableId).map((t) => t.name);
  if (missing.length) warnings.push(`tables without a store id (not recorded by the catalog?): ${missing.join(', ')}; their relationships and join paths are not stored`);
  const at = new Date().toISOString();

  const rows: RelationshipRow[] = [];
  const seen = new Set<string>();
  const add = (row: Omit<RelationshipRow, 'relationshipId' | 'detectedAt'>) => {
    const k = `${row.fromColumnId}\u0000${row.toColumnId}`;
    if (seen.has(k)) return;
    seen.add(k);
    rows.push({ ...row, relationshipId: crypto.randomUUID(), detectedAt: at });
  };
  for (const rel of relationships.relationships) {
    const fromTableId = tableId(rel.fromTable);
    const toTableId = tableId(rel.toTable);
    const ids = rel.fromColumns.map((c, i) => [columnId(rel.fromTable, c), columnId(rel.toTable, rel.toColumns[i])] as const);
    if (!fromTableId || !toTableId || ids.some(([a, b]) => !a || !b)) {
      if (fromTableId && toTableId) warnings.push(`${rel.key}: a column has no store id; not stored`);
      continue;
    }
    // A composite key is one row per column pair, tied together by the key in the evidence.
    ids.forEach(([from, to], i) => add({
      fromTableId, fromColumnId: from as string, toTableId, toColumnId: to as string,
      relationshipType: rel.relationshipType, cardinality: rel.cardinality, confidence: rel.confidence, detectionMethod: rel.detectionMethod,
      evidence: json({ ...rel.evidence, key: rel.key, fromColumns: rel.fromColumns, toColumns: rel.toColumns, ...(rel.fromColumns.length > 1 ? { compositePart: i } : {}) }),
    }));
  }
  for (const m of relationships.manyToMany) {
    const [fromTableId, toTableId] = [tableId(m.left.table), tableId(m.right.table)];
    const [from, to] = [columnId(m.left.table, m.left.column), columnId(m.right.table, m.right.column)];
    if (!fromTableId || !toTableId || !from || !to) continue;
    add({
      fromTableId, fromColumnId: from, toTableId, toColumnId: to, relationshipType: 'many_to_many', cardinality: 'many_to_many',
      confidence: m.confidence, detectionMethod: 'bridge', evidence: json({ key: m.key, bridgeTable: m.bridgeTable, via: m.via }),
    });
  }

  const sourceTableIds = typedSource.tables.flatMap((t) => (t.tableId ? [t.tableId] : []));
  return store.db.transaction().execute(async (db) => {
    if (!sourceTableIds.length) return { relationships: 0, keptConfirmed: 0, removedStale: 0, joinPaths: 0, warnings };
    const existing = await db.selectFrom('relationships')
      .select(['relationshipId', 'fromColumnId', 'toColumnId', 'isConfirmed', 'relationshipType', 'detectionMethod'])
      .where((eb) => eb.or([eb('fromTableId', 'in', sourceTableIds), eb('toTableId', 'in', sourceTableIds)]))
      .execute();
    const keptConfirmed = existing.filter((r) => r.isConfirmed).length;
    const stale = existing.filter((r) => !r.isConfirmed && !seen.has(`${r.fromColumnId}\u0000${r.toColumnId}`)
      && OWN_TYPES.includes(r.relationshipType) && OWN_METHODS.includes(r.detectionMethod ?? ''));
    for (let k = 0; k < stale.length; k += 200) {
      await db.deleteFrom('relationships').where('relationshipId', 'in', stale.slice(k, k + 200).map((r) => r.relationshipId)).execute();
    }
    for (let k = 0; k < rows.length; k += 100) {
      await db.insertInto('relationships').values(rows.slice(k, k + 100))
        .onConflict((oc) => oc.columns(['fromColumnId', 'toColumnId']).doUpdateSet((eb) => ({
          // Detection facts only: confirmation columns are a person's and stay as they are.
          fromTableId: eb.ref('excluded.fromTableId'), toTableId: eb.ref('excluded.toTableId'),
          relationshipType: eb.ref('excluded.relationshipType'), cardinality: eb.ref('excluded.cardinality'),
          confidence: eb.ref('excluded.confidence'), detectionMethod: eb.ref('excluded.detectionMethod'),
          evidence: eb.ref('excluded.evidence'), detectedAt: eb.ref('excluded.detectedAt'),
        })))
        .execute();
    }

    await db.deleteFrom('joinPaths').where('fromTableId', 'in', sourceTableIds).execute();
    const pathRows = joinPaths.paths.flatMap((p) => {
      const [from, to] = [tableId(p.fromTable), tableId(p.toTable)];
      if (!from || !to) return [];
      return [{
        pathId: crypto.randomUUID(), fromTableId: from, toTableId: to, pathSteps: p.steps.map((s) => json(s)),
        pathLength: p.length, totalConfidence: p.totalConfidence, computedAt: at,
      }];
    });
    for (let k = 0; k < pathRows.length; k += 100) await db.insertInto('joinPaths').values(pathRows.slice(k, k + 100)).execute();
    return { relationships: rows.length, keptConfirmed, removedStale: stale.length, joinPaths: pathRows.length, warnings };
  });
}
