/** Sources, their tables and columns, and what profiling and typing learn about each column. */
import type { Kysely, Migration } from 'kysely';
import type { ColumnTypes } from './column-types.ts';

export function catalogMigration(col: ColumnTypes): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('sources')
        .addColumn('source_id', col.uuid(), (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('source_type', 'text', (c) => c.notNull())
        .addColumn('connection_config', col.json(), (c) => c.notNull())
        .addColumn('created_at', col.timestamp(), (c) => c.notNull().defaultTo(col.now()))
        .addColumn('updated_at', col.timestamp(), (c) => c.notNull().defaultTo(col.now()))
        .execute();

      await db.schema
        .createTable('tables')
        .addColumn('table_id', col.uuid(), (c) => c.primaryKey())
        .addColumn('source_id', col.uuid(), (c) => c.notNull().references('sources.source_id').onDelete('cascade'))
        .addColumn('table_name', 'text', (c) => c.notNull())
        .addColumn('layer', 'text', (c) => c.notNull().check(col.oneOf('layer', ['raw', 'typed', 'quarantine'])))
        .addColumn('duckdb_path', 'text')
        .addColumn('row_count', col.bigint())
        .addColumn('created_at', col.timestamp(), (c) => c.notNull().defaultTo(col.now()))
        .addColumn('last_profiled_at', col.timestamp())
        // Leads with source_id, so it is also the index for the foreign key.
        .addUniqueConstraint('tables_source_id_table_name_layer_key', ['source_id', 'table_name', 'layer'])
        .execute();

      await db.schema
        .createTable('columns')
        .addColumn('column_id', col.uuid(), (c) => c.primaryKey())
        .addColumn('table_id', col.uuid(), (c) => c.notNull().references('tables.table_id').onDelete('cascade'))
        .addColumn('column_name', 'text', (c) => c.notNull())
        .addColumn('original_name', 'text')
        .addColumn('column_position', 'integer', (c) => c.notNull())
        .addColumn('raw_type', 'text')
        .addColumn('resolved_type', 'text')
        .addUniqueConstraint('columns_table_id_column_name_key', ['table_id', 'column_name'])
        .execute();

      await db.schema
        .createTable('column_profiles')
        .addColumn('profile_id', col.uuid(), (c) => c.primaryKey())
        .addColumn('column_id', col.uuid(), (c) => c.notNull().references('columns.column_id').onDelete('cascade'))
        .addColumn('profiled_at', col.timestamp(), (c) => c.notNull().defaultTo(col.now()))
        .addColumn('total_count', col.bigint())
        .addColumn('null_count', col.bigint())
        .addColumn('distinct_count', col.bigint())
        .addColumn('min_value', 'text')
        .addColumn('max_value', 'text')
        .addColumn('mean_value', col.double())
        .addColumn('stddev_value', col.double())
        .addColumn('percentiles', col.json())
        .addColumn('min_length', 'integer')
        .addColumn('max_length', 'integer')
        .addColumn('avg_length', col.double())
        .addColumn('histogram', col.json())
        .addColumn('top_values', col.json())
        .addColumn('cardinality_ratio', col.double())
        .addColumn('null_ratio', col.double())
        .execute();
      await db.schema
        .createIndex('column_profiles_column_id_profiled_at_idx')
        .on('column_profiles')
        .columns(['column_id', 'profiled_at'])
        .execute();

      await db.schema
        .createTable('type_candidates')
        .addColumn('candidate_id', col.uuid(), (c) => c.primaryKey())
        .addColumn('column_id', col.uuid(), (c) => c.notNull().references('columns.column_id').onDelete('cascade'))
        .addColumn('detected_at', col.timestamp(), (c) => c.notNull().defaultTo(col.now()))
        .addColumn('data_type', 'text', (c) => c.notNull())
        .addColumn('confidence', col.double())
        .addColumn('parse_success_rate', col.double())
        .addColumn('failed_examples', col.json())
        .addColumn('detected_pattern', 'text')
        .addColumn('pattern_match_rate', col.double())
        .addColumn('detected_unit', 'text')
        .addColumn('unit_confidence', col.double())
        .execute();
      await db.schema.createIndex('type_candidates_column_id_idx').on('type_candidates').column('column_id').execute();

      await db.schema
        .createTable('type_decisions')
        .addColumn('decision_id', col.uuid(), (c) => c.primaryKey())
        .addColumn('column_id', col.uuid(), (c) => c.notNull().unique().references('columns.column_id').onDelete('cascade'))
        .addColumn('decided_type', 'text', (c) => c.notNull())
        .addColumn('decision_source', 'text', (c) =>
          c.notNull().check(col.oneOf('decision_source', ['auto', 'manual', 'rule'])),
        )
        .addColumn('decided_at', col.timestamp(), (c) => c.notNull().defaultTo(col.now()))
        .addColumn('decided_by', 'text')
        .addColumn('previous_type', 'text')
        .addColumn('decision_reason', 'text')
        .execute();

      await db.schema
        .createTable('semantic_annotations')
        .addColumn('annotation_id', col.uuid(), (c) => c.primaryKey())
        .addColumn('column_id', col.uuid(), (c) => c.notNull().unique().references('columns.column_id').onDelete('cascade'))
        .addColumn('semantic_role', 'text')
        .addColumn('entity_type', 'text')
        .addColumn('business_name', 'text')
        .addColumn('business_description', 'text')
        .addColumn('business_domain', 'text')
        .addColumn('ontology_term', 'text')
        .addColumn('ontology_uri', 'text')
        .addColumn('annotation_source', 'text')
        .addColumn('annotated_at', col.timestamp(), (c) => c.notNull().defaultTo(col.now()))
        .addColumn('annotated_by', 'text')
        .addColumn('confidence', col.double())
        .execute();

      await db.schema
        .createTable('temporal_profiles')
        .addColumn('temporal_id', col.uuid(), (c) => c.primaryKey())
        .addColumn('column_id', col.uuid(), (c) => c.notNull().unique().references('columns.column_id').onDelete('cascade'))
        .addColumn('min_timestamp', col.timestamp())
        .addColumn('max_timestamp', col.timestamp())
        .addColumn('detected_granularity', 'text')
        .addColumn('granularity_confidence', col.double())
        .addColumn('dominant_gap', 'text')
        .addColumn('expected_periods', col.bigint())
        .addColumn('actual_periods', col.bigint())
        .addColumn('completeness_ratio', col.double())
        .addColumn('gap_count', col.bigint())
        .addColumn('largest_gap', 'text')
        .addColumn('gap_details', col.json())
        .addColumn('has_seasonality', col.boolean(), (c) => c.notNull().defaultTo(false))
        .addColumn('seasonality_period', 'integer')
        .addColumn('trend_direction', 'text')
        .addColumn('profiled_at', col.timestamp(), (c) => c.notNull().defaultTo(col.now()))
        .execute();
    },

    async down(db: Kysely<any>) {
      for (const table of [
        'temporal_profiles',
        'semantic_annotations',
        'type_decisions',
        'type_candidates',
        'column_profiles',
        'columns',
        'tables',
        'sources',
      ]) {
        await db.schema.dropTable(table).execute();
      }
    },
  };
}
