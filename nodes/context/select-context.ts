/**
 * Trims a context document to some tables and some of its parts (modules), for a prompt that
 * has no room for the whole source: `getContext({ tables, include_modules })` in the API and MCP
 * server rests on this.
 */
import { CONTEXT_MODULES, ContextDocumentSchema, type ContextDocument, type ContextModule } from './schema.ts';

export interface ContextSelection {
  /** Logical table names to keep (default: all). Unknown names are an error. */
  readonly tables?: readonly string[];
  /** Parts to keep (default: all): tables, relationships, metrics, ontology, concepts, quality, warnings, queries. */
  readonly include_modules?: readonly ContextModule[];
}

/**
 * The document restricted to `tables` and `include_modules`. Relationships, join paths, metrics and
 * queries are kept only when every table they read is kept; dropped modules become empty (arrays)
 * or null. The result validates against `ContextDocumentSchema`.
 *
 * @example
 * ```ts
 * const small = selectContext(doc, { tables: ['flights'], include_modules: ['tables', 'queries'] });
 * small.tables.map((t) => t.name);  // ['flights']
 * small.metrics;                    // []
 * ```
 */
export function selectContext(doc: ContextDocument, selection: ContextSelection = {}): ContextDocument {
  const known = new Set(doc.tables.map((t) => t.name));
  const unknown = (selection.tables ?? []).filter((t) => !known.has(t));
  if (unknown.length) {
    throw new Error(`selectContext: unknown table${unknown.length === 1 ? '' : 's'} ${unknown.map((u) => `'${u}'`).join(', ')} in source '${doc.source}'; known: ${[...known].join(', ') || 'none'}`);
  }
  const badModules = (selection.include_modules ?? []).filter((m) => !(CONTEXT_MODULES as readonly string[]).includes(m));
  if (badModules.length) throw new Error(`selectContext: unknown module${badModules.length === 1 ? '' : 's'} ${badModules.join(', ')}; choose from ${CONTEXT_MODULES.join(', ')}`);
  const keep = new Set(selection.tables ?? known);
  const mods = new Set<ContextModule>(selection.include_modules ?? CONTEXT_MODULES);
  const inside = (tables: readonly string[]) => tables.every((t) => keep.has(t));
  const q = doc.quality_summary;
  const out: ContextDocument = {
    source: doc.source,
    tables: mods.has('tables') ? doc.tables.filter((t) => keep.has(t.name)) : [],
    relationships: mods.has('relationships') ? doc.relationships.filter((r) => inside([r.from_table, r.to_table])) : [],
    join_paths: mods.has('relationships') ? doc.join_paths.filter((p) => inside([p.from_table, p.to_table])) : [],
    ontology: mods.has('ontology') ? doc.ontology : null,
    metrics: mods.has('metrics') ? doc.metrics.filter((m) => inside(m.tables)) : [],
    domain_concepts: mods.has('concepts') ? doc.domain_concepts.filter((c) => keep.has(c.table)) : [],
    quality_summary: mods.has('quality') && q ? {
      ...q,
      tables: q.tables.filter((t) => keep.has(t.table)),
      failed_rules: q.failed_rules.filter((r) => keep.has(r.table)),
      anomalies: q.anomalies.filter((a) => keep.has(a.table)),
    } : null,
    warnings: mods.has('warnings') ? doc.warnings : [],
    suggested_queries: mods.has('queries') ? doc.suggested_queries.filter((s) => inside(s.tables)) : [],
    generated_at: doc.generated_at,
  };
  return ContextDocumentSchema.parse(out);
}
