/**
 * What an AI (or a person) reads about a source: `POST /context` (the context document, trimmed to
 * tables and modules, as JSON, Markdown or YAML) and `GET /metrics` (an ontology's metrics bound
 * to the source's typed tables).
 */
import { z } from 'zod';
import { loadOntology, OntologyError } from '../../../config/ontology.ts';
import { CONTEXT_MODULES } from '../../../nodes/context/schema.ts';
import { renderContext } from '../../../nodes/context/render-context.ts';
import { selectContext } from '../../../nodes/context/select-context.ts';
import { getMetrics } from '../../../nodes/enrichment/semantic/metrics.ts';
import type { TypedSource } from '../../../nodes/enrichment/types.ts';
import type { ColumnAnnotation, RelationshipHint, SemanticAnnotations } from '../../../nodes/enrichment/semantic/types.ts';
import type { Store } from '../../../store/index.ts';
import { ContextDocumentError, readContextDocument } from '../context-document.ts';
import { HttpProblem, problemResponses } from '../problem.ts';
import type { App, ServerContext } from '../server-context.ts';
import { sourceOr404 } from './sources.ts';

const FORMAT_TYPES = { json: 'application/json', markdown: 'text/markdown; charset=utf-8', yaml: 'application/yaml; charset=utf-8' } as const;

const ContextBody = z.strictObject({
  source: z.string().min(1),
  tables: z.array(z.string().min(1)).optional().describe('logical table names to keep (default: all)'),
  include_modules: z.array(z.enum(CONTEXT_MODULES)).optional().describe('parts to keep (default: all)'),
  format: z.enum(['json', 'markdown', 'yaml']).default('json'),
});

const BoundMetricSchema = z.object({
  metric: z.string(),
  description: z.string(),
  formula: z.string(),
  expression: z.string(),
  sql: z.string().describe('a complete DuckDB query over the typed tables'),
  tables: z.array(z.string()),
  bindings: z.array(z.object({ concept: z.string(), table: z.string(), column: z.string(), via: z.enum(['annotation', 'indicator']) })),
  output_type: z.string(),
  unit: z.string().nullable(),
});

export function contextRoutes(app: App, { rt }: ServerContext): void {
  app.post('/context', {
    schema: {
      summary: "A source's context document, trimmed and rendered",
      description: 'format json answers the document object; markdown and yaml answer text.',
      body: ContextBody,
      response: { 200: z.union([z.looseObject({ source: z.string() }), z.string()]), ...problemResponses(400, 401, 403, 404) },
    },
  }, async (req, reply) => {
    const { source, tables, include_modules, format } = req.body;
    let doc;
    try {
      doc = readContextDocument(rt.home, source);
    } catch (err) {
      if (err instanceof ContextDocumentError) throw new HttpProblem(err.kind === 'not_found' ? 404 : 500, err.message, { cause: err });
      throw err;
    }
    let picked;
    try {
      picked = selectContext(doc, { ...(tables ? { tables } : {}), ...(include_modules ? { include_modules } : {}) });
    } catch (err) {
      // Unknown table names: the message lists the known ones.
      throw new HttpProblem(400, err instanceof Error ? err.message : String(err), { issues: [{ path: ['body', 'tables'], message: err instanceof Error ? err.message : String(err) }] });
    }
    if (format === 'json') return picked;
    return reply.type(FORMAT_TYPES[format]).send(renderContext(picked, format));
  });

  app.get('/metrics', {
    schema: {
      summary: "An ontology's metrics bound to a source's typed tables",
      querystring: z.object({ source: z.string().min(1), ontology: z.string().min(1).default('base') }),
      response: {
        200: z.object({ source: z.string(), ontology: z.string(), metrics: z.array(BoundMetricSchema), matched_concepts: z.record(z.string(), z.record(z.string(), z.string())) }),
        ...problemResponses(400, 401, 403, 404),
      },
    },
  }, async (req) => {
    const source = await sourceOr404(rt.store, req.query.source);
    let ontology;
    try {
      ontology = loadOntology(req.query.ontology);
    } catch (err) {
      if (err instanceof OntologyError) throw new HttpProblem(404, err.message, { cause: err });
      throw err;
    }
    const { typed, annotations, relationships } = await storedSemantics(rt.store, source.sourceId, source.name);
    if (!typed.tables.length) throw new HttpProblem(404, `source '${source.name}' has no typed tables yet; wait for its ingest run to complete (GET /runs/<id>) or resume it if it waits for review`);
    const result = getMetrics(ontology, typed, annotations, relationships);
    return {
      source: source.name, ontology: result.ontology, matched_concepts: result.matchedConcepts as Record<string, Record<string, string>>,
      metrics: result.metrics.map((m) => ({
        metric: m.metric, description: m.description, formula: m.formula, expression: m.expression, sql: m.sql,
        tables: [...m.tables], bindings: m.bindings.map((b) => ({ ...b })), output_type: m.outputType, unit: m.unit,
      })),
    };
  });
}

/**
 * The typed tables, column annotations and relationships of a source as the store holds them, in
 * the shapes `getMetrics` reads. The annotations' ontology is left blank: stored annotations do not
 * say which ontology made them, so they add concepts but never hide name-based matches.
 */
async function storedSemantics(store: Store, sourceId: string, sourceName: string): Promise<{ typed: TypedSource; annotations: SemanticAnnotations; relationships: RelationshipHint[] }> {
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
