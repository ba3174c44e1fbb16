/**
 * What a source's metrics bind from, read back from the metadata store: its typed tables, its
 * columns' semantic annotations (the ingest's and people's) and its detected relationships. The
 * HTTP API and the MCP server both bind metrics through this, so they always agree.
 */
import type { ColumnAnnotation, RelationshipHint, SemanticAnnotations } from '../nodes/enrichment/semantic/types.ts';
import type { TypedSource } from '../nodes/enrichment/types.ts';
import type { Store } from '../store/index.ts';

/**
 * The typed tables, column annotations and relationships of a source as the store holds them, in
 * the shapes `getMetrics` reads. The annotations' ontology is left blank: stored annotations do not
 * say which ontology made them, so they add concepts but never hide name-based matches.
 */
export async function storedSemantics(store: Store, sourceId: string, sourceName: string): Promise<{ typed: TypedSource; annotations: SemanticAnnotations; relationships: RelationshipHint[] }> {
  const tables = await store.db.selectFrom('tables').selectAll().where('sourceId', '=', sourceId).where('layer', '=', 'typed').orderBy('tableName').execute();
  const ids = tables.map((t) => t.tableId);
  const cols = ids.length ? await store.db.selectFrom('vColumnMetadata').selectAll().where('tableId', 'in', ids).orderBy('columnPosition').execute() : [];
  const typed: TypedSource = {
    sourceName,
    tables: tables.map((t) => ({
      name: t.tableName, typedTable: `typed_${t.tableName}`, rowCount: Number(t.rowCount ?? 0), tableId: t.tableId,
      columns: cols.filter((c) => c.tableId === t.tableId).map((c) => ({
        name: c.columnName, originalName: c.originalName ?? c.columnName, position: c.columnPosition, type: c.resolvedType ?? c.rawType ?? 'VARCHAR', columnId: c.columnId,
      })),
    })),
  };
  const columns: Record<string, Record<string, ColumnAnnotation>> = {};
  for (const c of cols) {
    if (!c.semanticRole && !c.ontologyTerm) continue;
    (columns[c.tableName] ??= {})[c.columnName] = {
      table: c.tableName, column: c.columnName, type: c.resolvedType ?? 'VARCHAR', role: (c.semanticRole ?? 'attribute') as ColumnAnnotation['role'],
      entityType: c.entityType ?? '', businessName: c.businessName ?? c.columnName, businessDescription: c.businessDescription ?? '',
      ontologyTerm: c.ontologyTerm, confidence: Number(c.semanticConfidence ?? 0.5), evidence: [],
      stats: {
        rowCount: Number(c.rowCount ?? 0), nullCount: Number(c.nullCount ?? 0), distinctCount: Number(c.distinctCount ?? 0),
        minValue: c.minValue, maxValue: c.maxValue, maxLength: null, from: 'profiling',
      },
      source: 'heuristic',
    };
  }
  const rels = ids.length ? await store.db.selectFrom('vRelationshipGraph').selectAll().where('fromTableId', 'in', ids).execute() : [];
  const relationships: RelationshipHint[] = rels.map((r) => ({
    fromTable: r.fromTableName, fromColumn: r.fromColumnName, toTable: r.toTableName, toColumn: r.toColumnName, confidence: Number(r.confidence ?? 0),
  }));
  return { typed, annotations: { sourceName, ontology: '', tables: {}, columns, relationships, annotatedAt: new Date().toISOString() }, relationships };
}
