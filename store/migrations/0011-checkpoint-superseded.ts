/**
 * Checkpoints can end `superseded`: a later run of the same source replaced the run that paused,
 * so resuming it would apply old answers to data that may have changed and overwrite the later
 * run's tables. Only the CHECK on `checkpoints.status` changes.
 *
 * PostgreSQL swaps the constraint. SQLite cannot alter a CHECK, so both review tables are rebuilt
 * (migrations run in one transaction there, where foreign keys cannot be switched off: dropping
 * `checkpoints` while `review_queue` refers to it would delete every review item by cascade).
 */
import { sql, type Kysely, type Migration } from 'kysely';
import type { ColumnTypes } from './column-types.ts';

const STATUSES = ['pending_review', 'approved', 'completed', 'failed'] as const;

export function checkpointSupersededMigration(col: ColumnTypes): Migration {
  return {
    async up(db: Kysely<any>) {
      await allowStatuses(db, col, [...STATUSES, 'superseded']);
    },
    async down(db: Kysely<any>) {
      await db.updateTable('checkpoints').set({ status: 'failed' }).where('status', '=', 'superseded').execute();
      await allowStatuses(db, col, STATUSES);
    },
  };
}

async function allowStatuses(db: Kysely<any>, col: ColumnTypes, statuses: readonly string[]): Promise<void> {
  if (col.dialect === 'postgres') {
    // PostgreSQL's name for the column CHECK of 0004-review.
    await db.schema.alterTable('checkpoints').dropConstraint('checkpoints_status_check').execute();
    await db.schema.alterTable('checkpoints').addCheckConstraint('checkpoints_status_check', col.oneOf('status', statuses)).execute();
    return;
  }
  // The definitions of 0004-review, under new names, with the new CHECK.
  await db.schema
    .createTable('checkpoints_new')
    .addColumn('checkpoint_id', col.uuid(), (c) => c.primaryKey())
    .addColumn('dataflow_name', 'text', (c) => c.notNull())
    .addColumn('source_id', col.uuid(), (c) => c.references('sources.source_id').onDelete('set null'))
    .addColumn('status', 'text', (c) => c.notNull().check(col.oneOf('status', statuses)))
    .addColumn('checkpoint_type', 'text', (c) => c.notNull())
    .addColumn('created_at', col.timestamp(), (c) => c.notNull().defaultTo(col.now()))
    .addColumn('resumed_at', col.timestamp())
    .addColumn('completed_at', col.timestamp())
    .addColumn('checkpoint_state', col.json())
    .addColumn('result_summary', col.json())
    .addColumn('error_message', 'text')
    .execute();
  await copy(db, 'checkpoints', 'checkpoints_new', [
    'checkpoint_id', 'dataflow_name', 'source_id', 'status', 'checkpoint_type', 'created_at', 'resumed_at', 'completed_at',
    'checkpoint_state', 'result_summary', 'error_message',
  ]);
  await db.schema
    .createTable('review_queue_new')
    .addColumn('review_id', col.uuid(), (c) => c.primaryKey())
    // Renaming checkpoints_new below makes this refer to `checkpoints`.
    .addColumn('checkpoint_id', col.uuid(), (c) => c.notNull().references('checkpoints_new.checkpoint_id').onDelete('cascade'))
    .addColumn('review_type', 'text', (c) => c.notNull())
    .addColumn('item_id', 'text', (c) => c.notNull())
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
    .addUniqueConstraint('review_queue_checkpoint_id_item_id_key', ['checkpoint_id', 'item_id'])
    .execute();
  await copy(db, 'review_queue', 'review_queue_new', [
    'review_id', 'checkpoint_id', 'review_type', 'item_id', 'position', 'context_data', 'suggested_action', 'modified_action',
    'status', 'reviewed_at', 'reviewed_by', 'review_notes',
  ]);
  // Children first: once review_queue is gone nothing refers to the old checkpoints table.
  await db.schema.dropTable('review_queue').execute();
  await db.schema.dropTable('checkpoints').execute();
  await db.schema.alterTable('checkpoints_new').renameTo('checkpoints').execute();
  await db.schema.alterTable('review_queue_new').renameTo('review_queue').execute();
  await db.schema.createIndex('checkpoints_source_id_idx').on('checkpoints').column('source_id').execute();
  await db.schema.createIndex('checkpoints_dataflow_name_status_idx').on('checkpoints').columns(['dataflow_name', 'status']).execute();
  await db.schema.createIndex('review_queue_status_idx').on('review_queue').column('status').execute();
}

async function copy(db: Kysely<any>, from: string, to: string, columns: readonly string[]): Promise<void> {
  const list = sql.join(columns.map((c) => sql.ref(c)));
  await sql`insert into ${sql.table(to)} (${list}) select ${list} from ${sql.table(from)}`.execute(db);
}
