/** Quality rules, their results over time, and quality scores. */
import type { Kysely, Migration } from 'kysely';
import type { ColumnTypes } from './column-types.ts';

export function qualityMigration(col: ColumnTypes): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('quality_rules')
        .addColumn('rule_id', col.uuid(), (c) => c.primaryKey())
        .addColumn('table_id', col.uuid(), (c) => c.notNull().references('tables.table_id').onDelete('cascade'))
        .addColumn('column_id', col.uuid(), (c) => c.references('columns.column_id').onDelete('cascade'))
        .addColumn('rule_name', 'text', (c) => c.notNull())
        .addColumn('rule_type', 'text', (c) => c.notNull())
        .addColumn('rule_expression', 'text')
        .addColumn('rule_parameters', col.json())
        .addColumn('severity', 'text')
        .addColumn('source', 'text')
        .addColumn('description', 'text')
        .addColumn('is_active', col.boolean(), (c) => c.notNull().defaultTo(true))
        .addColumn('created_at', col.timestamp(), (c) => c.notNull().defaultTo(col.now()))
        .addColumn('created_by', 'text')
        .execute();
      await db.schema.createIndex('quality_rules_table_id_idx').on('quality_rules').column('table_id').execute();
      await db.schema.createIndex('quality_rules_column_id_idx').on('quality_rules').column('column_id').execute();

      await db.schema
        .createTable('quality_results')
        .addColumn('result_id', col.uuid(), (c) => c.primaryKey())
        .addColumn('rule_id', col.uuid(), (c) => c.notNull().references('quality_rules.rule_id').onDelete('cascade'))
        .addColumn('executed_at', col.timestamp(), (c) => c.notNull().defaultTo(col.now()))
        .addColumn('total_records', col.bigint())
        .addColumn('passed_records', col.bigint())
        .addColumn('failed_records', col.bigint())
        .addColumn('pass_rate', col.double())
        .addColumn('failure_samples', col.json())
        .addColumn('previous_pass_rate', col.double())
        .addColumn('trend_direction', 'text')
        .execute();
      await db.schema
        .createIndex('quality_results_rule_id_executed_at_idx')
        .on('quality_results')
        .columns(['rule_id', 'executed_at'])
        .execute();

      await db.schema
        .createTable('quality_scores')
        .addColumn('score_id', col.uuid(), (c) => c.primaryKey())
        .addColumn('table_id', col.uuid(), (c) => c.notNull().references('tables.table_id').onDelete('cascade'))
        .addColumn('column_id', col.uuid(), (c) => c.references('columns.column_id').onDelete('cascade'))
        .addColumn('completeness_score', col.double())
        .addColumn('validity_score', col.double())
        .addColumn('consistency_score', col.double())
        .addColumn('uniqueness_score', col.double())
        .addColumn('timeliness_score', col.double())
        .addColumn('overall_score', col.double())
        .addColumn('computed_at', col.timestamp(), (c) => c.notNull().defaultTo(col.now()))
        .execute();
      await db.schema
        .createIndex('quality_scores_table_id_computed_at_idx')
        .on('quality_scores')
        .columns(['table_id', 'computed_at'])
        .execute();
      await db.schema.createIndex('quality_scores_column_id_idx').on('quality_scores').column('column_id').execute();
    },

    async down(db: Kysely<any>) {
      for (const table of ['quality_scores', 'quality_results', 'quality_rules']) {
        await db.schema.dropTable(table).execute();
      }
    },
  };
}
