/**
 * What `dataraum run` prints at the end of an ingest: per table, what was loaded, rejected,
 * profiled and inferred.
 */
import type { StoredProfiles } from '../profiling/stored-profiles.ts';
import type { StagedCatalog } from '../staging/catalog.ts';
import type { StagingResult } from '../staging/types.ts';
import type { StoredCandidates } from '../typing/stored-candidates.ts';
import type { TypeCandidatesResult } from '../typing/types.ts';

export interface TableSummary {
  readonly table: string;
  readonly rawTable: string;
  readonly rows: number;
  readonly rejectedRows: number;
  readonly columns: number;
  /** Column -> best inferred type (untyped and weak sources). */
  readonly inferredTypes: Readonly<Record<string, string>>;
}

export interface IngestSummary {
  readonly source: string;
  readonly sourceId: string;
  readonly tables: readonly TableSummary[];
  readonly warnings: readonly string[];
  /** The summary as text, for people. */
  readonly text: string;
}

/**
 * The outcome of an ingest, for people and scripts.
 * @tag module=ingest
 */
export function ingestSummary(staging: StagingResult, stagedCatalog: StagedCatalog, storedProfiles: StoredProfiles, typeCandidates: TypeCandidatesResult, storedTypeCandidates: StoredCandidates): IngestSummary {
  const tables = staging.tables.map((t): TableSummary => {
    const inferred = typeCandidates.tables[t.name]?.columns ?? {};
    return {
      table: t.name, rawTable: t.rawTable, rows: t.rowCount, rejectedRows: t.rejectCount ?? t.rejects.length, columns: t.columns.length,
      inferredTypes: Object.fromEntries(Object.values(inferred).map((c) => [c.column, c.best.duckdbType])),
    };
  });
  const lines = [`Source '${staging.sourceName}' (${staging.sourceType}): ${tables.length} table(s); ${storedProfiles.columns} column profile(s), ${storedTypeCandidates.candidates} type candidate(s) stored.`];
  for (const t of tables) {
    const types = Object.entries(t.inferredTypes).map(([c, ty]) => `${c}:${ty}`).join(', ');
    lines.push(`  ${t.table}: ${t.rows} rows${t.rejectedRows ? `, ${t.rejectedRows} rejected (see ${t.rawTable}__rejects)` : ''}, ${t.columns} columns${types ? ` — ${types}` : ''}`);
  }
  for (const w of staging.warnings) lines.push(`  warning: ${w}`);
  return { source: staging.sourceName, sourceId: stagedCatalog.sourceId, tables, warnings: staging.warnings, text: lines.join('\n') };
}
