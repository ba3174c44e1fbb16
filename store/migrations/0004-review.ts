/** Durable review gates (checkpoints and their review queue) and the LLM answer cache. */
import type { Kysely, Migration } from 'kysely';
import type { ColumnTypes } from './column-types.ts';

export function reviewMigration(col: ColumnTypes): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('checkpoints')
        .addColumn('checkpoint_id', col.uuid(), (c) => c.primaryKey())
        .addColumn('dataflow_name', 'text', (c) => c.notNull())
        // A checkpoint is run history: it outlives a deleted source.
        .addColumn('source_id', col.uuid(), (c) => c.references('sources.source_id').onDelete('set null'))
        .addColumn('status', 'text', (c) =>
          c.notNull().check(col.oneOf('status', ['pending_review', 'approved', 'completed', 'failed'])),
        )
        .addColumn('checkpoint_type', 'text', (c) => c.notNull())
        .addColumn('created_at', col.timestamp(), (c) => c.notNull().defaultTo(col.now()))
        .addColumn('resumed_at', col.timestamp())
        .addColumn('completed_at', col.timestamp())
        .addColumn('checkpoint_state', col.json())
        .addColumn('result_summary', col.json())
        .addColumn('error_message', 'text')
        .execute();
      await db.schema.createIndex('checkpoints_source_id_idx').on('checkpoints').column('source_id').execute();
      await db.schema
        .createIndex('checkpoints_dataflow_name_status_idx')
        .on('checkpoints')
        .columns(['dataflow_name', 'status'])
        .execute();

      await db.schema
        .createTable('review_queue')
        .addColumn('review_id', col.uuid(), (c) => c.primaryKey())
        .addColumn('checkpoint_id', col.uuid(), (c) =>
          c.notNull().references('checkpoints.checkpoint_id').onDelete('cascade'),
        )
        .addColumn('review_type', 'text', (c) => c.notNull())
        .addColumn('item_id', 'text', (c) => c.notNull())
        // The order the gate listed its items in, so reviewers see them that way.
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('context_data', col.json())
        .addColumn('suggested_action', col.json())
        .addColumn('modified_action', col.json())
        .addColumn('status', 'text', (c) =>
          c.notNull().defaultTo('pending').check(col.oneOf('status', ['pending', 'approved', 'rejected', 'modified'])),
        )
        .addColumn('reviewed_at', col.timestamp())
        .addColumn('reviewed_by', 'text')
        .addColumn('review_notes', 'text')
        // Leads with checkpoint_id: doubles as that foreign key's index.
        .addUniqueConstraint('review_queue_checkpoint_id_item_id_key', ['checkpoint_id', 'item_id'])
        .execute();
      await db.schema.createIndex('review_queue_status_idx').on('review_queue').column('status').execute();

      await db.schema
        .createTable('llm_cache')
        .addColumn('cache_id', col.uuid(), (c) => c.primaryKey())
        .addColumn('cache_key', 'text', (c) => c.notNull().unique())
        .addColumn('feature', 'text', (c) => c.notNull())
        .addColumn('source_id', col.uuid(), (c) => c.references('sources.source_id').onDelete('cascade'))
        .addColumn('table_ids', col.json())
        .addColumn('ontology', 'text')
        .addColumn('provider', 'text')
        .addColumn('model', 'text')
        .addColumn('prompt_hash', 'text')
        .addColumn('response_json', col.json(), (c) => c.notNull())
        .addColumn('input_tokens', 'integer')
        .addColumn('output_tokens', 'integer')
        .addColumn('created_at', col.timestamp(), (c) => c.notNull().defaultTo(col.now()))
        .addColumn('expires_at', col.timestamp())
        .addColumn('is_valid', col.boolean(), (c) => c.notNull().defaultTo(true))
        .execute();
      await db.schema.createIndex('llm_cache_source_id_idx').on('llm_cache').column('source_id').execute();
      await db.schema.createIndex('llm_cache_feature_idx').on('llm_cache').column('feature').execute();
    },

    async down(db: Kysely<any>) {
      for (const table of ['llm_cache', 'review_queue', 'checkpoints']) {
        await db.schema.dropTable(table).execute();
      }
    },
  };
}
