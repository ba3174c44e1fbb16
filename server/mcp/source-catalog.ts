/**
 * What the MCP tools read and write about sources, independent of MCP: the typed tables recorded
 * in the metadata store (with their columns and semantic annotations), the context documents the
 * ingest wrote under `<home>/context/`, ontology metrics bound to real columns, and manual
 * semantic annotations.
 */
import { listOntologies, loadOntology, SEMANTIC_ROLES, type SemanticRole } from '../../config/ontology.ts';
import type { ContextDocument } from '../../nodes/context/schema.ts';
import { getMetrics } from '../../nodes/enrichment/semantic/metrics.ts';
import type { BoundMetric, DetectedRelationships } from '../../nodes/enrichment/semantic/types.ts';
import { listSources, type SourceRow, type Store } from '../../store/index.ts';
import { contextFileBase, ContextDocumentError, currentContextDocument, listContextSources, readContextDocument as readContextFile } from '../http/context-document.ts';
import { storedSemantics } from '../stored-semantics.ts';

/** A user-facing failure (unknown source/table/column, bad role): tools report it as an error result. */
export class CatalogError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CatalogError';
  }
}

export interface CatalogColumn {
  readonly name: string;
  readonly type: string;
  readonly role: string | null;
  readonly businessName: string | null;
  readonly description: string | null;
  readonly ontologyTerm: string | null;
  /** Who decided the annotation: heuristic, llm or manual (null without one). */
  readonly annotationSource: string | null;
}

export interface CatalogTable {
  readonly source: string;
  /** Logical name, e.g. `airports`. */
  readonly name: string;
  /** The DuckDB table to query, e.g. `typed_airports`. */
  readonly duckdbTable: string;
  readonly rowCount: number | null;
  /** Rows that failed typing, in `quarantine_<name>`. */
  readonly quarantineRows: number | null;
  readonly columns: CatalogColumn[];
}

/**
 * The typed tables of every source (or of `source`), with columns, types and annotations.
 *
 * @example
 * ```ts
 * const tables = await listTypedTables(store);
 * tables.map((t) => `${t.source}.${t.name}: ${t.rowCount} rows`);
 * ```
 */
export async function listTypedTables(store: Store, source?: string): Promise<CatalogTable[]> {
  const sources = await resolveSources(store, source);
  const out: CatalogTable[] = [];
  for (const s of sources) {
    const tables = await store.db.selectFrom('tables').select(['tableId', 'tableName', 'layer', 'rowCount'])
      .where('sourceId', '=', s.sourceId).where('layer', 'in', ['typed', 'quarantine']).execute();
    const quarantine = new Map(tables.filter((t) => t.layer === 'quarantine').map((t) => [t.tableName, t.rowCount]));
    const typed = tables.filter((t) => t.layer === 'typed').sort((a, b) => (a.tableName < b.tableName ? -1 : a.tableName > b.tableName ? 1 : 0));
    if (!typed.length) continue;
    const columns = await store.db.selectFrom('columns')
      .leftJoin('semanticAnnotations', 'semanticAnnotations.columnId', 'columns.columnId')
      .select(['columns.tableId', 'columns.columnName', 'columns.columnPosition', 'columns.resolvedType', 'columns.rawType',
        'semanticAnnotations.semanticRole', 'semanticAnnotations.businessName', 'semanticAnnotations.businessDescription',
        'semanticAnnotations.ontologyTerm', 'semanticAnnotations.annotationSource'])
      .where('columns.tableId', 'in', typed.map((t) => t.tableId))
      .orderBy('columns.columnPosition').execute();
    for (const t of typed) {
      out.push({
        source: s.name, name: t.tableName, duckdbTable: typedTableName(t.tableName),
        rowCount: t.rowCount === null ? null : Number(t.rowCount),
        quarantineRows: quarantine.has(t.tableName) ? Number(quarantine.get(t.tableName) ?? 0) : null,
        columns: columns.filter((c) => c.tableId === t.tableId).map((c) => ({
          name: c.columnName, type: c.resolvedType ?? c.rawType ?? 'VARCHAR', role: c.semanticRole ?? null,
          businessName: c.businessName ?? null, description: c.businessDescription ?? null,
          ontologyTerm: c.ontologyTerm ?? null, annotationSource: c.annotationSource ?? null,
        })),
      });
    }
  }
  return out;
}

/** The DuckDB name of a logical table's typed rows. */
export function typedTableName(table: string): string {
  return `typed_${table}`;
}

/**
 * The context document of `source` as `dataraum context` and `POST /context` show it
 * (`currentContextDocument`: the file the ingest wrote, the store's manual annotations laid over).
 */
export async function readContextDocument(store: Store, home: string, source: string): Promise<ContextDocument> {
  await resolveSources(store, source);
  try {
    return await currentContextDocument(home, source, store);
  } catch (err) {
    if (err instanceof ContextDocumentError) throw new CatalogError(err.message);
    throw err;
  }
}

/** Sources (registered in the store) that have a context document under `home`. */
export async function sourcesWithContext(store: Store, home: string): Promise<string[]> {
  const files = new Set(listContextSources(home));
  return (await listSources(store)).map((s) => s.name).filter((n) => files.has(contextFileBase(n)));
}

export interface MetricsOfSource {
  readonly source: string;
  readonly ontology: string;
  readonly metrics: BoundMetric[];
  /** Per table, concept -> column. */
  readonly matchedConcepts: Record<string, Record<string, string>>;
}

/**
 * The metrics of `ontology` that can be computed on each source's typed tables, with SQL. Joins use
 * the relationships of the source's context document when there is one.
 *
 * @example
 * ```ts
 * const [{ metrics }] = await sourceMetrics(store, home, 'base', 'flights');
 * metrics.map((m) => m.sql);
 * ```
 */
export async function sourceMetrics(store: Store, home: string, ontology: string, source?: string): Promise<MetricsOfSource[]> {
  const known = listOntologies();
  if (!known.includes(ontology)) throw new CatalogError(`unknown ontology '${ontology}'; available: ${known.join(', ')}`);
  const resolved = loadOntology(ontology);
  const out: MetricsOfSource[] = [];
  for (const s of await resolveSources(store, source)) {
    // Bound like GET /metrics: the stored annotations (a concept the ingest or a person gave a
    // column counts, not just its name) and the stored relationships.
    const { typed, annotations, relationships } = await storedSemantics(store, s.sourceId, s.name);
    if (!typed.tables.length) continue;
    const bound = getMetrics(resolved, typed, annotations, relationships.length ? relationships : relationshipsFromContext(home, s.name));
    out.push({ source: s.name, ontology: bound.ontology, metrics: [...bound.metrics], matchedConcepts: bound.matchedConcepts });
  }
  return out;
}

function relationshipsFromContext(home: string, source: string): DetectedRelationships | undefined {
  let doc: ContextDocument;
  try {
    doc = readContextFile(home, source);
  } catch (err) {
    // Without a (valid) document, metrics bind within single tables only.
    if (err instanceof ContextDocumentError) return undefined;
    throw err;
  }
  return {
    relationships: doc.relationships.map((r) => ({
      fromTable: r.from_table, fromColumns: r.from_columns, toTable: r.to_table, toColumns: r.to_columns, confidence: r.confidence,
    })),
  };
}

export interface AnnotationInput {
  readonly table: string;
  readonly column: string;
  readonly source?: string;
  readonly business_name?: string;
  readonly description?: string;
  readonly semantic_role?: string;
  /** Who made it (default `mcp`). */
  readonly annotatedBy?: string;
}

export interface AnnotationWritten {
  readonly source: string;
  readonly table: string;
  readonly column: string;
  readonly semanticRole: string | null;
  readonly businessName: string | null;
  readonly description: string | null;
  readonly annotationSource: 'manual';
}

/**
 * Writes a manual semantic annotation for one typed column; fields not given keep their value.
 * The ingest keeps manual annotations when it re-runs.
 *
 * @example
 * ```ts
 * await annotateColumn(store, { table: 'airports', column: 'iata', business_name: 'Airport code', semantic_role: 'key' });
 * ```
 */
export async function annotateColumn(store: Store, input: AnnotationInput): Promise<AnnotationWritten> {
  if (input.semantic_role !== undefined && !(SEMANTIC_ROLES as readonly string[]).includes(input.semantic_role)) {
    throw new CatalogError(`semantic_role '${input.semantic_role}' is not a role; choose one of ${SEMANTIC_ROLES.join(', ')}`);
  }
  if (input.business_name === undefined && input.description === undefined && input.semantic_role === undefined) {
    throw new CatalogError('nothing to annotate: give business_name, description or semantic_role');
  }
  const logical = input.table.startsWith('typed_') ? input.table.slice('typed_'.length) : input.table;
  const tables = (await listTypedTables(store, input.source)).filter((t) => t.name === logical || t.name === input.table);
  if (!tables.length) {
    const known = (await listTypedTables(store, input.source)).map((t) => `${t.source}.${t.name}`);
    throw new CatalogError(`unknown table '${input.table}'${input.source ? ` in source '${input.source}'` : ''}; typed tables: ${known.join(', ') || 'none (ingest something first)'}`);
  }
  if (tables.length > 1) throw new CatalogError(`table '${input.table}' exists in several sources (${tables.map((t) => t.source).join(', ')}); pass source`);
  const table = tables[0]!;
  const row = await store.db.selectFrom('columns').innerJoin('tables', 'tables.tableId', 'columns.tableId').innerJoin('sources', 'sources.sourceId', 'tables.sourceId')
    .select(['columns.columnId']).where('sources.name', '=', table.source).where('tables.tableName', '=', table.name).where('tables.layer', '=', 'typed')
    .where('columns.columnName', '=', input.column).executeTakeFirst();
  if (!row) {
    throw new CatalogError(`unknown column '${input.column}' in table '${table.name}' (source '${table.source}'); columns: ${table.columns.map((c) => c.name).join(', ')}`);
  }
  const set = {
    ...(input.semantic_role !== undefined ? { semanticRole: input.semantic_role as SemanticRole } : {}),
    ...(input.business_name !== undefined ? { businessName: input.business_name } : {}),
    ...(input.description !== undefined ? { businessDescription: input.description } : {}),
    annotationSource: 'manual',
    annotatedAt: new Date().toISOString(),
    annotatedBy: input.annotatedBy ?? 'mcp',
    confidence: 1,
  };
  await store.db.insertInto('semanticAnnotations')
    .values({ annotationId: crypto.randomUUID(), columnId: row.columnId, ...set })
    .onConflict((oc) => oc.column('columnId').doUpdateSet(set))
    .execute();
  const after = await store.db.selectFrom('semanticAnnotations').select(['semanticRole', 'businessName', 'businessDescription'])
    .where('columnId', '=', row.columnId).executeTakeFirstOrThrow();
  return {
    source: table.source, table: table.name, column: input.column, semanticRole: after.semanticRole, businessName: after.businessName,
    description: after.businessDescription, annotationSource: 'manual',
  };
}

/** The named source, or all of them; an unknown name is a CatalogError listing the known ones. */
export async function resolveSources(store: Store, source?: string): Promise<SourceRow[]> {
  const all = await listSources(store);
  if (source === undefined) return all;
  const found = all.filter((s) => s.name === source);
  if (!found.length) throw new CatalogError(`unknown source '${source}'; known sources: ${all.map((s) => s.name).join(', ') || 'none (ingest something first with `dataraum run <path>`)'}`);
  return found;
}
