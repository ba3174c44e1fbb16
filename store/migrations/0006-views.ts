/** Read-only views: latest profile per column, per-column metadata, and the relationship graph. */
import type { ExpressionBuilder, Kysely, Migration } from 'kysely';
import type { ColumnTypes } from './column-types.ts';

export function viewsMigration(_col: ColumnTypes): Migration {
  return {
    async up(db: Kysely<any>) {
      // Correlated on (column_id, profiled_at): served by column_profiles_column_id_profiled_at_idx.
      await db.schema
        .createView('v_latest_profiles')
        .as(
          db
            .selectFrom('column_profiles as p')
            .selectAll('p')
            .where('p.profile_id', '=', (eb: ExpressionBuilder<any, any>) =>
              eb
                .selectFrom('column_profiles as q')
                .select('q.profile_id')
                .whereRef('q.column_id', '=', 'p.column_id')
                .orderBy('q.profiled_at', 'desc')
                .orderBy('q.profile_id', 'desc')
                .limit(1),
            ),
        )
        .execute();

      await db.schema
        .createView('v_column_metadata')
        .as(
          db
            .selectFrom('columns as c')
            .innerJoin('tables as t', 't.table_id', 'c.table_id')
            .innerJoin('sources as s', 's.source_id', 't.source_id')
            .leftJoin('v_latest_profiles as lp', 'lp.column_id', 'c.column_id')
            .leftJoin('type_decisions as td', 'td.column_id', 'c.column_id')
            .leftJoin('semantic_annotations as sa', 'sa.column_id', 'c.column_id')
            .select([
              'c.column_id',
              'c.column_name',
              'c.original_name',
              'c.column_position',
              'c.raw_type',
              'c.resolved_type',
              't.table_id',
              't.table_name',
              't.layer',
              't.row_count',
              's.source_id',
              's.name as source_name',
              's.source_type',
              'lp.profile_id',
              'lp.profiled_at',
              'lp.total_count',
              'lp.null_count',
              'lp.distinct_count',
              'lp.null_ratio',
              'lp.cardinality_ratio',
              'lp.min_value',
              'lp.max_value',
              'lp.mean_value',
              'lp.top_values',
              'td.decided_type',
              'td.decision_source',
              'td.decided_at',
              'sa.semantic_role',
              'sa.entity_type',
              'sa.business_name',
              'sa.business_description',
              'sa.business_domain',
              'sa.ontology_term',
              'sa.confidence as semantic_confidence',
            ]),
        )
        .execute();

      await db.schema
        .createView('v_relationship_graph')
        .as(
          db
            .selectFrom('relationships as r')
            .innerJoin('tables as ft', 'ft.table_id', 'r.from_table_id')
            .innerJoin('columns as fc', 'fc.column_id', 'r.from_column_id')
            .innerJoin('tables as tt', 'tt.table_id', 'r.to_table_id')
            .innerJoin('columns as tc', 'tc.column_id', 'r.to_column_id')
            .select([
              'r.relationship_id',
              'r.relationship_type',
              'r.cardinality',
              'r.confidence',
              'r.detection_method',
              'r.is_confirmed',
              'r.from_table_id',
              'ft.table_name as from_table_name',
              'r.from_column_id',
              'fc.column_name as from_column_name',
              'r.to_table_id',
              'tt.table_name as to_table_name',
              'r.to_column_id',
              'tc.column_name as to_column_name',
            ]),
        )
        .execute();
    },

    async down(db: Kysely<any>) {
      for (const view of ['v_relationship_graph', 'v_column_metadata', 'v_latest_profiles']) {
        await db.schema.dropView(view).execute();
      }
    },
  };
}
