/**
 * Trims a context document to some tables and some of its parts (modules), for a prompt that
 * has no room for the whole source: `getContext({ tables, include_modules })` in the API and MCP
 * server rests on this.
 */
import { overallScore } from './overall-score.ts';
import { CONTEXT_MODULES, ContextDocumentSchema, type ContextDocument, type ContextModule } from './schema.ts';

/** A selection naming a table or a module the document does not have; the message says what exists. */
export class ContextSelectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContextSelectionError';
  }
}

export interface ContextSelection {
  /** Logical table names to keep (default: all). Unknown names are an error. */
  readonly tables?: readonly string[];
  /** Parts to keep (default: all): tables, relationships, metrics, ontology, concepts, quality, warnings, queries. */
  readonly include_modules?: readonly ContextModule[];
}

/**
 * The document restricted to `tables` and `include_modules`. Relationships, join paths, metrics and
 * queries are kept only when every table they read is kept; dropped modules become empty (arrays)
 * or null. The quality figures (overall score, rules checked and failed) and the warnings are those
 * of the kept tables (warnings about the whole source stay); the summary paragraph, which speaks of
 * every table, stays only when every table does. The result validates against `ContextDocumentSchema`.
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
    throw new ContextSelectionError(`unknown table${unknown.length === 1 ? '' : 's'} ${unknown.map((u) => `'${u}'`).join(', ')} in source '${doc.source}'; known: ${[...known].join(', ') || 'none'}`);
  }
  const badModules = (selection.include_modules ?? []).filter((m) => !(CONTEXT_MODULES as readonly string[]).includes(m));
  if (badModules.length) throw new ContextSelectionError(`unknown module${badModules.length === 1 ? '' : 's'} ${badModules.join(', ')}; choose from ${CONTEXT_MODULES.join(', ')}`);
  const keep = new Set(selection.tables ?? known);
  const everyTable = [...known].every((t) => keep.has(t));
  const mods = new Set<ContextModule>(selection.include_modules ?? CONTEXT_MODULES);
  const inside = (tables: readonly string[]) => tables.every((t) => keep.has(t));
  const q = doc.quality_summary;
  const about = new Map<string, string[]>();
  for (const [table, messages] of Object.entries(doc.table_warnings ?? {})) for (const m of messages) about.set(m, [...(about.get(m) ?? []), table]);
  const tableWarnings = Object.fromEntries(Object.entries(doc.table_warnings ?? {}).filter(([t]) => keep.has(t)));
  const out: ContextDocument = {
    source: doc.source,
    tables: mods.has('tables') ? doc.tables.filter((t) => keep.has(t.name)) : [],
    relationships: mods.has('relationships') ? doc.relationships.filter((r) => inside([r.from_table, r.to_table])) : [],
    join_paths: mods.has('relationships') ? doc.join_paths.filter((p) => inside([p.from_table, p.to_table])) : [],
    ontology: mods.has('ontology') ? doc.ontology : null,
    metrics: mods.has('metrics') ? doc.metrics.filter((m) => inside(m.tables)) : [],
    domain_concepts: mods.has('concepts') ? doc.domain_concepts.filter((c) => keep.has(c.table)) : [],
    quality_summary: mods.has('quality') && q ? (everyTable ? q : qualityOf(doc, q, keep)) : null,
    // A warning about tables is kept with any of them; one about no table in particular always.
    warnings: mods.has('warnings') ? doc.warnings.filter((w) => !about.has(w) || about.get(w)!.some((t) => keep.has(t))) : [],
    ...(mods.has('warnings') && doc.table_warnings ? { table_warnings: tableWarnings } : {}),
    suggested_queries: mods.has('queries') ? doc.suggested_queries.filter((s) => inside(s.tables)) : [],
    ...(everyTable && doc.summary !== undefined ? { summary: doc.summary } : {}),
    generated_at: doc.generated_at,
  };
  return ContextDocumentSchema.parse(out);
}

type QualitySummary = NonNullable<ContextDocument['quality_summary']>;

/** The quality summary of the kept tables: their score, their rules, their failures and anomalies. */
function qualityOf(doc: ContextDocument, q: QualitySummary, keep: ReadonlySet<string>): QualitySummary {
  const tables = q.tables.filter((t) => keep.has(t.table));
  const rows = new Map(doc.tables.map((t) => [t.name, t.row_count]));
  // Documents written before tables carried their rule counts: only the failures listed can be counted.
  const counted = tables.every((t) => t.rules_total !== undefined && t.rules_failed !== undefined);
  const failedRules = q.failed_rules.filter((r) => keep.has(r.table));
  return {
    ...q,
    overall: overallScore(tables.map((t) => ({ overall: t.overall, rows: rows.get(t.table) ?? 0 }))),
    tables,
    rules_total: counted ? tables.reduce((n, t) => n + t.rules_total!, 0) : q.rules_total,
    rules_failed: counted ? tables.reduce((n, t) => n + t.rules_failed!, 0) : failedRules.length,
    failed_rules: failedRules,
    anomalies: q.anomalies.filter((a) => keep.has(a.table)),
  };
}
