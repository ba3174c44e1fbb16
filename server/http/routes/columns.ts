/**
 * Per-table and per-column metadata: `GET /tables/:tableId/profiles` (the latest profile of each
 * column) and `PUT /columns/:columnId/annotation` (a person's semantic annotation, kept by later
 * automatic runs).
 */
import { z } from 'zod';
import { SEMANTIC_ROLES } from '../../../config/ontology.ts';
import { isoTime } from '../../../cli/commands/_shared.ts';
import { HttpProblem, problemResponses } from '../problem.ts';
import { annotationDescription, annotationName } from '../../annotation-fields.ts';
import { IdParams } from '../schemas.ts';
import type { App, ServerContext } from '../server-context.ts';

const ProfileSchema = z.object({
  column_id: z.string(),
  column_name: z.string(),
  position: z.number(),
  profile_id: z.string(),
  profiled_at: z.string().nullable(),
  total_count: z.number().nullable(),
  null_count: z.number().nullable(),
  distinct_count: z.number().nullable(),
  null_ratio: z.number().nullable(),
  cardinality_ratio: z.number().nullable(),
  min_value: z.string().nullable(),
  max_value: z.string().nullable(),
  mean_value: z.number().nullable(),
  stddev_value: z.number().nullable(),
  percentiles: z.unknown(),
  min_length: z.number().nullable(),
  max_length: z.number().nullable(),
  avg_length: z.number().nullable(),
  histogram: z.unknown(),
  top_values: z.unknown(),
});

const AnnotationBody = z.strictObject({
  business_name: annotationName().optional(),
  description: annotationDescription().optional(),
  semantic_role: z.enum(SEMANTIC_ROLES).optional(),
  entity_type: annotationName().optional(),
  business_domain: annotationName().optional(),
  ontology_term: annotationName().optional(),
}).refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'give at least one of business_name, description, semantic_role, entity_type, business_domain, ontology_term' });

const AnnotationSchema = z.object({
  column_id: z.string(),
  column_name: z.string(),
  business_name: z.string().nullable(),
  description: z.string().nullable(),
  semantic_role: z.string().nullable(),
  entity_type: z.string().nullable(),
  business_domain: z.string().nullable(),
  ontology_term: z.string().nullable(),
  annotation_source: z.string().nullable(),
  annotated_by: z.string().nullable(),
  annotated_at: z.string().nullable(),
});

const num = (v: number | string | null) => (v === null ? null : Number(v));

/** Header naming the person behind a manual change (the API token has no subject of its own). */
export const USER_HEADER = 'x-dataraum-user';

export function columnRoutes(app: App, { rt }: ServerContext): void {
  app.get('/tables/:tableId/profiles', {
    schema: {
      summary: 'The latest profile of every column of a table',
      params: IdParams('tableId'),
      description: 'Profiling runs on the staged (raw) table. Asked for a typed or quarantine table, this answers with the profiles of the raw table it comes from, named in profiled_table_id and profiled_layer.',
      response: {
        200: z.object({
          table_id: z.string(), table: z.string(), layer: z.string(),
          profiled_table_id: z.string().nullable().describe('the table whose columns were profiled (the raw table of a typed or quarantine one); null when it is gone'),
          profiled_layer: z.string().nullable(),
          profiles: z.array(ProfileSchema),
        }),
        ...problemResponses(400, 401, 403, 404),
      },
    },
  }, async (req) => {
    const tableId = req.params.tableId as string;
    const table = await rt.store.db.selectFrom('tables').selectAll().where('tableId', '=', tableId).executeTakeFirst();
    if (!table) throw new HttpProblem(404, `no table ${tableId}; GET /sources/<name>/tables lists the tables and their ids`);
    const profiled = table.layer === 'raw'
      ? table
      : await rt.store.db.selectFrom('tables').selectAll().where('sourceId', '=', table.sourceId).where('tableName', '=', table.tableName).where('layer', '=', 'raw').executeTakeFirst();
    const rows = profiled
      ? await rt.store.db.selectFrom('vLatestProfiles as p')
        .innerJoin('columns as c', 'c.columnId', 'p.columnId')
        .selectAll('p').select(['c.columnName', 'c.columnPosition'])
        .where('c.tableId', '=', profiled.tableId).orderBy('c.columnPosition').execute()
      : [];
    return {
      table_id: table.tableId, table: table.tableName, layer: table.layer,
      profiled_table_id: profiled?.tableId ?? null, profiled_layer: profiled?.layer ?? null,
      profiles: rows.map((p) => ({
        column_id: p.columnId, column_name: p.columnName, position: p.columnPosition, profile_id: p.profileId, profiled_at: isoTime(p.profiledAt),
        total_count: num(p.totalCount), null_count: num(p.nullCount), distinct_count: num(p.distinctCount), null_ratio: num(p.nullRatio),
        cardinality_ratio: num(p.cardinalityRatio), min_value: p.minValue, max_value: p.maxValue, mean_value: num(p.meanValue),
        stddev_value: num(p.stddevValue), percentiles: p.percentiles ?? null, min_length: num(p.minLength), max_length: num(p.maxLength),
        avg_length: num(p.avgLength), histogram: p.histogram ?? null, top_values: p.topValues ?? null,
      })),
    };
  });

  app.put('/columns/:columnId/annotation', {
    schema: {
      summary: 'Annotate a column by hand (annotation_source manual: later automatic runs keep it)',
      description: `Fields left out keep their current values. The annotator is the ${USER_HEADER} header, else "api".`,
      params: IdParams('columnId'),
      body: AnnotationBody,
      headers: z.looseObject({ [USER_HEADER]: z.string().min(1).max(200).optional() }),
      response: { 200: AnnotationSchema, ...problemResponses(400, 401, 403, 404) },
    },
  }, async (req) => {
    const columnId = req.params.columnId as string;
    const column = await rt.store.db.selectFrom('columns').select(['columnId', 'columnName']).where('columnId', '=', columnId).executeTakeFirst();
    if (!column) throw new HttpProblem(404, `no column ${columnId}; GET /sources/<name>/tables lists the columns and their ids`);
    const b = req.body;
    const by = (req.headers[USER_HEADER] as string | undefined) ?? 'api';
    const at = new Date().toISOString();
    const set = {
      ...(b.business_name !== undefined ? { businessName: b.business_name } : {}),
      ...(b.description !== undefined ? { businessDescription: b.description } : {}),
      ...(b.semantic_role !== undefined ? { semanticRole: b.semantic_role } : {}),
      ...(b.entity_type !== undefined ? { entityType: b.entity_type } : {}),
      ...(b.business_domain !== undefined ? { businessDomain: b.business_domain } : {}),
      ...(b.ontology_term !== undefined ? { ontologyTerm: b.ontology_term } : {}),
      annotationSource: 'manual', annotatedBy: by, annotatedAt: at, confidence: 1,
    };
    await rt.store.db.insertInto('semanticAnnotations')
      .values({ annotationId: crypto.randomUUID(), columnId, ...set })
      .onConflict((oc) => oc.column('columnId').doUpdateSet(set))
      .execute();
    const a = await rt.store.db.selectFrom('semanticAnnotations').selectAll().where('columnId', '=', columnId).executeTakeFirstOrThrow();
    return {
      column_id: columnId, column_name: column.columnName, business_name: a.businessName, description: a.businessDescription,
      semantic_role: a.semanticRole, entity_type: a.entityType, business_domain: a.businessDomain, ontology_term: a.ontologyTerm,
      annotation_source: a.annotationSource, annotated_by: a.annotatedBy, annotated_at: isoTime(a.annotatedAt),
    };
  });
}
