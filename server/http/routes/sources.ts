/**
 * Sources: `POST /sources` starts an ingest in the background (202 + Location of the run),
 * `GET /sources` lists them, `GET /sources/:name/tables` shows their tables and columns.
 */
import { z } from 'zod';
import { getSourceByName, lastRun, listSources, type Store } from '../../../store/index.ts';
import { isoTime, unknownSourceMessage } from '../../../cli/commands/_shared.ts';
import { outcomeOf, registerSource, runDataflow } from '../../../cli/runs.ts';
import { HttpProblem, problemResponses } from '../problem.ts';
import { RunAcceptedSchema } from '../schemas.ts';
import type { App, ServerContext } from '../server-context.ts';
import { sourceFromRequest } from '../source-request.ts';

const SourceBody = z.looseObject({
  path: z.string().min(1).optional().describe('a file or folder, relative to the first data root (or absolute inside a root)'),
  name: z.string().min(1).optional(),
  source_type: z.string().optional(),
  file_pattern: z.string().min(1).optional(),
  connection_string: z.string().min(1).optional(),
}).describe('a source config as `dataraum run --source` takes it; { path } alone is typed from the extension');

const SourceSchema = z.object({
  source_id: z.string(),
  name: z.string(),
  source_type: z.string(),
  config: z.record(z.string(), z.unknown()).describe('connection strings with their password redacted'),
  created_at: z.string().nullable(),
  updated_at: z.string().nullable(),
  last_run: z.object({ run_id: z.string(), status: z.string(), started_at: z.string().nullable() }).nullable(),
});

const ColumnSchema = z.object({
  column_id: z.string(),
  name: z.string(),
  original_name: z.string().nullable(),
  position: z.number(),
  raw_type: z.string().nullable(),
  resolved_type: z.string().nullable(),
});

const TableSchema = z.object({
  table_id: z.string(),
  name: z.string(),
  layer: z.enum(['raw', 'typed', 'quarantine']),
  row_count: z.number().nullable(),
  last_profiled_at: z.string().nullable(),
  columns: z.array(ColumnSchema),
});

/** The source called `name`, or a 404 naming the known ones. */
export async function sourceOr404(store: Store, name: string) {
  const row = await getSourceByName(store, name);
  if (!row) throw new HttpProblem(404, await unknownSourceMessage(store, name));
  return row;
}

export function sourceRoutes(app: App, { rt, runner, dataRoots }: ServerContext): void {
  app.post('/sources', {
    schema: {
      summary: 'Ingest a source in the background; poll the run at Location',
      body: SourceBody,
      response: { 202: RunAcceptedSchema, ...problemResponses(400, 401, 403) },
    },
  }, async (req, reply) => {
    const source = sourceFromRequest(req.body, dataRoots);
    const row = await registerSource(rt, source);
    const runId = crypto.randomUUID();
    const job = runner.submit({ runId, kind: 'ingest', source: source.name }, async () => outcomeOf(await runDataflow(rt, { source, runId, sourceId: row.sourceId })));
    const location = `/runs/${runId}`;
    return reply.code(202).header('location', location).send({ run_id: runId, status: job.status, source: source.name, location });
  });

  app.get('/sources', {
    schema: {
      summary: 'Every registered source with its last run',
      response: { 200: z.object({ sources: z.array(SourceSchema) }), ...problemResponses(401, 403) },
    },
  }, async () => {
    const sources = await listSources(rt.store);
    return {
      sources: await Promise.all(sources.map(async (s) => {
        const run = await lastRun(rt.store, { sourceId: s.sourceId });
        return {
          source_id: s.sourceId, name: s.name, source_type: s.sourceType, config: s.connectionConfig as Record<string, unknown>,
          created_at: isoTime(s.createdAt), updated_at: isoTime(s.updatedAt),
          last_run: run ? { run_id: run.runId, status: run.status, started_at: isoTime(run.startedAt) } : null,
        };
      })),
    };
  });

  app.get('/sources/:name/tables', {
    schema: {
      summary: 'The tables of a source (raw, typed, quarantine) with row counts, columns and resolved types',
      params: z.object({ name: z.string().min(1) }),
      querystring: z.object({ layer: z.enum(['raw', 'typed', 'quarantine']).optional() }),
      response: { 200: z.object({ source: z.string(), tables: z.array(TableSchema) }), ...problemResponses(400, 401, 403, 404) },
    },
  }, async (req) => {
    const source = await sourceOr404(rt.store, req.params.name);
    let q = rt.store.db.selectFrom('tables').selectAll().where('sourceId', '=', source.sourceId);
    if (req.query.layer) q = q.where('layer', '=', req.query.layer);
    const tables = await q.orderBy('tableName').orderBy('layer').execute();
    const columns = tables.length
      ? await rt.store.db.selectFrom('columns').selectAll().where('tableId', 'in', tables.map((t) => t.tableId)).orderBy('columnPosition').execute()
      : [];
    return {
      source: source.name,
      tables: tables.map((t) => ({
        table_id: t.tableId, name: t.tableName, layer: t.layer, row_count: t.rowCount === null ? null : Number(t.rowCount),
        last_profiled_at: isoTime(t.lastProfiledAt),
        columns: columns.filter((c) => c.tableId === t.tableId).map((c) => ({
          column_id: c.columnId, name: c.columnName, original_name: c.originalName, position: c.columnPosition, raw_type: c.rawType, resolved_type: c.resolvedType,
        })),
      })),
    };
  });
}
