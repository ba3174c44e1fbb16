/**
 * What applying each type decision did, per raw column and resolution pass (versioned by time,
 * like column_profiles): values converted and failed, the success rate, and the first failing
 * values with their row numbers.
 */
import type { Kysely, Migration } from 'kysely';
import type { ColumnTypes } from './column-types.ts';

export function typeResolutionsMigration(col: ColumnTypes): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('type_resolutions')
        .addColumn('resolution_id', col.uuid(), (c) => c.primaryKey())
        .addColumn('column_id', col.uuid(), (c) => c.notNull().references('columns.column_id').onDelete('cascade'))
        .addColumn('resolved_at', col.timestamp(), (c) => c.notNull().defaultTo(col.now()))
        .addColumn('decided_type', 'text', (c) => c.notNull())
        .addColumn('resolved_type', 'text', (c) => c.notNull())
        .addColumn('success_count', col.bigint(), (c) => c.notNull())
        .addColumn('failure_count', col.bigint(), (c) => c.notNull())
        .addColumn('null_count', col.bigint(), (c) => c.notNull())
        .addColumn('success_rate', col.double(), (c) => c.notNull())
        .addColumn('sample_failures', col.json())
        .execute();
      await db.schema
        .createIndex('type_resolutions_column_id_resolved_at_idx')
        .on('type_resolutions')
        .columns(['column_id', 'resolved_at'])
        .unique()
        .execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('type_resolutions').execute();
    },
  };
}
