/**
 * Type decisions keep how the value is read (format, raw type, null tokens), so a person's
 * decision can be applied again on a later run without asking again.
 */
import type { Kysely, Migration } from 'kysely';
import type { ColumnTypes } from './column-types.ts';

export function decisionFormatMigration(col: ColumnTypes): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('type_decisions').addColumn('decision_detail', col.json()).execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.alterTable('type_decisions').dropColumn('decision_detail').execute();
    },
  };
}
