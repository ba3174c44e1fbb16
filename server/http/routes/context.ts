/**
 * What an AI (or a person) reads about a source: `POST /context` (the context document, trimmed to
 * tables and modules, as JSON, Markdown or YAML) and `GET /metrics` (an ontology's metrics bound
 * to the source's typed tables).
 */
import { z } from 'zod';
import { loadOntology, OntologyError } from '../../../config/ontology.ts';
import { CONTEXT_MODULES } from '../../../nodes/context/schema.ts';
import { renderContext } from '../../../nodes/context/render-context.ts';
import { ContextSelectionError, selectContext } from '../../../nodes/context/select-context.ts';
import { getMetrics } from '../../../nodes/enrichment/semantic/metrics.ts';
import { storedSemantics } from '../../stored-semantics.ts';
import { ContextDocumentError, currentContextDocument } from '../context-document.ts';
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
      doc = await currentContextDocument(rt.home, source, rt.store);
    } catch (err) {
      if (err instanceof ContextDocumentError) throw new HttpProblem(err.kind === 'not_found' ? 404 : 500, err.message, { cause: err });
      throw err;
    }
    let picked;
    try {
      picked = selectContext(doc, { ...(tables ? { tables } : {}), ...(include_modules ? { include_modules } : {}) });
    } catch (err) {
      // Unknown table names: the message lists the known ones.
      if (err instanceof ContextSelectionError) throw new HttpProblem(400, err.message, { issues: [{ path: ['body', 'tables'], message: err.message }] });
      throw err;
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
