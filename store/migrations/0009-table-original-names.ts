/**
 * Tables keep the source's own name for them (`Sales Report (2024).csv`, the SQLite table
 * `weird name`), as columns already do: the sanitized `table_name` alone loses it.
 */
import type { Kysely, Migration } from 'kysely';
import type { ColumnTypes } from './column-types.ts';

export function tableOriginalNamesMigration(_col: ColumnTypes): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('tables').addColumn('original_name', 'text').execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.alterTable('tables').dropColumn('original_name').execute();
    },
  };
}
