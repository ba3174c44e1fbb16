/**
 * Records semantic annotations in the metadata store: one row per column in semantic_annotations,
 * one entity per table in table_entities. Automatic runs replace their own earlier rows; a row a
 * person wrote (annotation_source / detection_source 'manual') is never overwritten, and the
 * column ones are handed on, so the context document shows what people said.
 */
import type { StoreContext } from '../../../store/index.ts';
import type { TypedSource } from '../types.ts';
import type { RelationshipsResult } from '../topology/types.ts';
import { columnKey, columnLinks, linkedRole } from './column-roles.ts';
import { storeIds } from './store-ids.ts';
import type { SemanticAnnotations } from './types.ts';

export interface StoredSemanticAnnotations {
  /** Column annotations written (inserted or updated). */
  readonly columns: number;
  /** Table entities written. */
  readonly tables: number;
  /** `table.column` / `table` entries left alone because a person annotated them. */
  readonly keptManual: readonly string[];
  /** What people said about columns (the manual rows kept), by table and column: the context document lays it over. */
  readonly manual: Readonly<Record<string, Readonly<Record<string, ManualColumnAnnotation>>>>;
}

/** A person's annotation of a column, as stored (fields nobody set are null or the value they replaced). */
export interface ManualColumnAnnotation {
  readonly role: string | null;
  readonly businessName: string | null;
  readonly description: string | null;
  /** The ontology concept the column stands for. */
  readonly ontologyTerm: string | null;
}

/** Who the store records as the annotator of heuristic rows. */
export const HEURISTIC_ANNOTATOR = 'dataraum:semantic-heuristics';

/**
 * Semantic annotations and table entities, written in one transaction; manual rows are kept. With
 * the `relationships` found, referencing columns are stored as foreign keys and referenced ones as
 * keys, as the context document states them.
 * @tag module=semantic
 * @cache disable
 *
 * @example
 * ```ts
 * const ann = await semanticAnnotations(typedSource, conn, loadOntology('retail'));
 * const { columns, tables, keptManual, manual } = await storedSemanticAnnotations(ann, typedSource, store);
 * manual.orders?.amount?.businessName; // 'Order amount (EUR)' when a person named it so
 * ```
 */
export async function storedSemanticAnnotations(semanticAnnotations: SemanticAnnotations, typedSource: TypedSource, store: StoreContext, relationships?: RelationshipsResult): Promise<StoredSemanticAnnotations> {
  // Stored roles agree with the context document: the relationships found decide the key roles.
  const links = columnLinks(relationships?.relationships ?? []);
  return store.db.transaction().execute(async (db) => {
    const ids = await storeIds(db, typedSource);
    const keptManual: string[] = [];
    const kept: Record<string, Record<string, ManualColumnAnnotation>> = {};
    let columns = 0;
    let tables = 0;
    for (const table of typedSource.tables) {
      const { tableId, columns: columnIds } = ids.get(table.name)!;
      const annotations = semanticAnnotations.columns[table.name] ?? {};
      const wanted = table.columns.filter((c) => annotations[c.name]);
      const manual = new Map(
        wanted.length
          ? (await db.selectFrom('semanticAnnotations').select(['columnId', 'semanticRole', 'businessName', 'businessDescription', 'ontologyTerm'])
            .where('columnId', 'in', wanted.map((c) => columnIds.get(c.name)!)).where('annotationSource', '=', 'manual').execute()).map((r) => [r.columnId, r])
          : [],
      );
      for (const c of wanted) {
        const columnId = columnIds.get(c.name)!;
        const m = manual.get(columnId);
        if (m) {
          keptManual.push(`${table.name}.${c.name}`);
          (kept[table.name] ??= {})[c.name] = { role: m.semanticRole, businessName: m.businessName, description: m.businessDescription, ontologyTerm: m.ontologyTerm };
          continue;
        }
        const a = annotations[c.name]!;
        const values = {
          semanticRole: linkedRole(a.role, links.references.has(columnKey(table.name, c.name)), links.referenced.has(columnKey(table.name, c.name))),
          entityType: a.entityType,
          businessName: a.businessName,
          businessDescription: a.businessDescription,
          businessDomain: semanticAnnotations.ontology,
          ontologyTerm: a.ontologyTerm,
          ontologyUri: a.ontologyTerm ? `urn:dataraum:ontology:${semanticAnnotations.ontology}:${a.ontologyTerm}` : null,
          annotationSource: a.source,
          annotatedAt: semanticAnnotations.annotatedAt,
          annotatedBy: a.source === 'heuristic' ? HEURISTIC_ANNOTATOR : null,
          confidence: a.confidence,
        };
        await db.insertInto('semanticAnnotations')
          .values({ annotationId: crypto.randomUUID(), columnId, ...values })
          .onConflict((oc) => oc.column('columnId').doUpdateSet(values))
          .execute();
        columns++;
      }

      const entity = semanticAnnotations.tables[table.name];
      if (!entity) continue;
      const existing = await db.selectFrom('tableEntities').select(['entityId', 'detectionSource']).where('tableId', '=', tableId).execute();
      if (existing.some((e) => e.detectionSource === 'manual')) {
        keptManual.push(table.name);
        continue;
      }
      if (existing.length) await db.deleteFrom('tableEntities').where('entityId', 'in', existing.map((e) => e.entityId)).execute();
      await db.insertInto('tableEntities').values({
        entityId: crypto.randomUUID(),
        tableId,
        detectedEntityType: entity.entityType,
        description: entity.description,
        confidence: entity.confidence,
        evidence: { signals: entity.evidence.map((e) => ({ signal: e.signal, detail: e.detail })), primary_time_column: entity.primaryTimeColumn, row_count: entity.rowCount, ontology: semanticAnnotations.ontology },
        grainColumns: [...entity.grainColumns],
        isFactTable: entity.isFact,
        isDimensionTable: entity.isDimension,
        detectionSource: entity.source,
        detectedAt: semanticAnnotations.annotatedAt,
      }).execute();
      tables++;
    }
    return { columns, tables, keptManual, manual: kept };
  });
}
