/**
 * The one migration set, shared by both dialects. A static provider (no directory scanning), so
 * it works the same under node, tsx and vitest. Migrations run in name order; never rename or
 * edit one that has shipped, add the next number instead.
 */
import type { Migration, MigrationProvider } from 'kysely';
import type { StoreDialect } from '../value-codec-plugin.ts';
import { catalogMigration } from './0001-catalog.ts';
import { enrichmentMigration } from './0002-enrichment.ts';
import { qualityMigration } from './0003-quality.ts';
import { reviewMigration } from './0004-review.ts';
import { engineMigration } from './0005-engine.ts';
import { viewsMigration } from './0006-views.ts';
import { decisionFormatMigration } from './0007-decision-format.ts';
import { runOwnerMigration } from './0008-run-owner.ts';
import { tableOriginalNamesMigration } from './0009-table-original-names.ts';
import { typeResolutionsMigration } from './0010-type-resolutions.ts';
import { checkpointSupersededMigration } from './0011-checkpoint-superseded.ts';
import { candidateFormatMigration } from './0012-candidate-format.ts';
import { columnTypes } from './column-types.ts';

export function migrations(dialect: StoreDialect): Record<string, Migration> {
  const col = columnTypes(dialect);
  return {
    '0001-catalog': catalogMigration(col),
    '0002-enrichment': enrichmentMigration(col),
    '0003-quality': qualityMigration(col),
    '0004-review': reviewMigration(col),
    '0005-engine': engineMigration(col),
    '0006-views': viewsMigration(col),
    '0007-decision-format': decisionFormatMigration(col),
    '0008-run-owner': runOwnerMigration(col),
    '0009-table-original-names': tableOriginalNamesMigration(col),
    '0010-type-resolutions': typeResolutionsMigration(col),
    '0011-checkpoint-superseded': checkpointSupersededMigration(col),
    '0012-candidate-format': candidateFormatMigration(col),
  };
}

export function migrationProvider(dialect: StoreDialect): MigrationProvider {
  return { getMigrations: async () => migrations(dialect) };
}
