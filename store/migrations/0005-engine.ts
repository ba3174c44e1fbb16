/** The dataflow engine's durable records: runs, node executions and the persistent cache index. */
import type { Kysely, Migration } from 'kysely';
import type { ColumnTypes } from './column-types.ts';

export function engineMigration(col: ColumnTypes): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('runs')
        .addColumn('run_id', col.uuid(), (c) => c.primaryKey())
        .addColumn('dataflow_name', 'text', (c) => c.notNull())
        // Run history outlives a deleted source.
        .addColumn('source_id', col.uuid(), (c) => c.references('sources.source_id').onDelete('set null'))
        .addColumn('status', 'text', (c) =>
          c.notNull().check(col.oneOf('status', ['running', 'completed', 'failed', 'pending_review'])),
        )
        .addColumn('final_vars', col.json())
        .addColumn('config', col.json())
        .addColumn('started_at', col.timestamp(), (c) => c.notNull().defaultTo(col.now()))
        .addColumn('finished_at', col.timestamp())
        .addColumn('duration_ms', col.double())
        .addColumn('error_message', 'text')
        .execute();
      await db.schema.createIndex('runs_dataflow_name_started_at_idx').on('runs').columns(['dataflow_name', 'started_at']).execute();
      await db.schema.createIndex('runs_source_id_started_at_idx').on('runs').columns(['source_id', 'started_at']).execute();

      await db.schema
        .createTable('node_executions')
        .addColumn('execution_id', col.uuid(), (c) => c.primaryKey())
        .addColumn('run_id', col.uuid(), (c) => c.notNull().references('runs.run_id').onDelete('cascade'))
        .addColumn('node_name', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) =>
          c.notNull().check(col.oneOf('status', ['done', 'cached', 'failed', 'skipped', 'awaiting_review'])),
        )
        .addColumn('started_at', col.timestamp())
        .addColumn('duration_ms', col.double())
        .addColumn('cache_hit', col.boolean(), (c) => c.notNull().defaultTo(false))
        .addColumn('cache_key', 'text')
        .addColumn('error_message', 'text')
        // Leads with run_id: doubles as that foreign key's index.
        .addUniqueConstraint('node_executions_run_id_node_name_key', ['run_id', 'node_name'])
        .execute();

      await db.schema
        .createTable('cache_entries')
        .addColumn('cache_key', 'text', (c) => c.primaryKey())
        .addColumn('node_name', 'text', (c) => c.notNull())
        .addColumn('code_version', 'text', (c) => c.notNull())
        .addColumn('data_version', 'text', (c) => c.notNull())
        .addColumn('dataflow_name', 'text')
        .addColumn('source_id', 'text')
        .addColumn('size_bytes', col.bigint())
        .addColumn('created_at', col.timestamp(), (c) => c.notNull().defaultTo(col.now()))
        .addColumn('last_hit_at', col.timestamp())
        .addColumn('hit_count', col.bigint(), (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.createIndex('cache_entries_dataflow_name_node_name_idx').on('cache_entries').columns(['dataflow_name', 'node_name']).execute();
      await db.schema.createIndex('cache_entries_source_id_idx').on('cache_entries').column('source_id').execute();
      await db.schema.createIndex('cache_entries_node_name_idx').on('cache_entries').column('node_name').execute();
    },

    async down(db: Kysely<any>) {
      for (const table of ['cache_entries', 'node_executions', 'runs']) {
        await db.schema.dropTable(table).execute();
      }
    },
  };
}
