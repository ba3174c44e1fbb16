/**
 * A type candidate's format (how values are read: strptime, separators, currency, ...), so two
 * candidates of one type (DATE as %d/%m/%Y and as %m/%d/%Y) can be told apart in the store.
 */
import type { Kysely, Migration } from 'kysely';
import type { ColumnTypes } from './column-types.ts';

export function candidateFormatMigration(col: ColumnTypes): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('type_candidates').addColumn('format', col.json()).execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.alterTable('type_candidates').dropColumn('format').execute();
    },
  };
}
