/**
 * Which ontology metrics apply to the source, bound to its columns, and their record per table in
 * `ontology_applications`.
 */
import type { ResolvedOntology } from '../../../config/ontology.ts';
import type { StoreContext } from '../../../store/index.ts';
import type { TypedSource } from '../types.ts';
import { getMetrics } from './metrics.ts';
import type { StoredOntology } from './ontology.ts';
import { storeIds } from './store-ids.ts';
import type { OntologyMetrics, SemanticAnnotations } from './types.ts';

export interface StoredOntologyApplications {
  /** Rows written, one per table with at least one matched concept. */
  readonly applications: number;
}

/**
 * The ontology's metrics whose concepts all map to columns, with formulas bound to quoted columns.
 * @tag module=semantic
 *
 * @example
 * ```ts
 * const m = ontologyMetrics(loadOntology('retail'), typedSource, annotations);
 * for (const metric of m.metrics) console.log(metric.metric, metric.sql);
 * ```
 */
export function ontologyMetrics(ontology: ResolvedOntology, typedSource: TypedSource, semanticAnnotations: SemanticAnnotations): OntologyMetrics {
  return getMetrics(ontology, typedSource, semanticAnnotations);
}

/**
 * Per table: matched concepts, applicable metrics and the quality rules of matched concepts, in
 * ontology_applications (one transaction; a replay replaces the table's row for this ontology).
 * @tag module=semantic
 * @cache disable
 */
export async function storedOntologyApplications(
  ontologyMetrics: OntologyMetrics,
  ontology: ResolvedOntology,
  storedOntology: StoredOntology,
  typedSource: TypedSource,
  store: StoreContext,
): Promise<StoredOntologyApplications> {
  if (storedOntology.name !== ontologyMetrics.ontology || ontology.name !== ontologyMetrics.ontology) {
    throw new Error(`Ontology applications: the metrics were bound with ontology '${ontologyMetrics.ontology}' but the stored ontology is '${storedOntology.name}' and the given one '${ontology.name}'; run them with the same ontology`);
  }
  return store.db.transaction().execute(async (db) => {
    const ids = await storeIds(db, typedSource);
    const at = new Date().toISOString();
    let applications = 0;
    for (const table of typedSource.tables) {
      const { tableId } = ids.get(table.name)!;
      await db.deleteFrom('ontologyApplications').where('tableId', '=', tableId).where('ontologyId', '=', storedOntology.ontologyId).execute();
      const matched = ontologyMetrics.matchedConcepts[table.name] ?? {};
      if (!Object.keys(matched).length) continue;
      const metrics = ontologyMetrics.metrics.filter((m) => m.tables[0] === table.name).map((m) => ({
        metric: m.metric, ontology_metric: m.ontologyMetric, expression: m.expression, sql: m.sql, tables: [...m.tables], output_type: m.outputType, unit: m.unit,
        bindings: m.bindings.map((b) => ({ concept: b.concept, table: b.table, column: b.column, via: b.via })),
      }));
      // A rule of a concept holds for every column standing for it (both grosses are amounts).
      const columns = ontologyMetrics.conceptColumns[table.name] ?? {};
      const rules = ontology.qualityRules.flatMap((r) => (columns[r.concept] ?? []).map((column) => ({ ...structuredClone(r), column })));
      await db.insertInto('ontologyApplications').values({
        applicationId: crypto.randomUUID(), tableId, ontologyId: storedOntology.ontologyId,
        matchedConcepts: { ...matched }, applicableMetrics: metrics, appliedRules: rules, appliedAt: at,
      }).execute();
      applications++;
    }
    return { applications };
  });
}
