/**
 * Runs remember which process runs them (`host:pid`), so a run whose process died (killed,
 * crashed, a server restarted) can be told apart from one still going and be marked failed.
 */
import type { Kysely, Migration } from 'kysely';
import type { ColumnTypes } from './column-types.ts';

export function runOwnerMigration(_col: ColumnTypes): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('runs').addColumn('owner', 'text').execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.alterTable('runs').dropColumn('owner').execute();
    },
  };
}
