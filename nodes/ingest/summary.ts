/**
 * What `dataraum run` prints at the end of an ingest: per table, what was loaded, rejected,
 * typed and quarantined.
 */
import type { ContextDocumentFiles } from '../context/context-document-file.ts';
import { formatPercent } from '../context/percent.ts';
import type { RelationshipsResult } from '../enrichment/topology/types.ts';
import type { StoredProfiles } from '../profiling/stored-profiles.ts';
import type { QualityScores } from '../quality/types.ts';
import type { StagedCatalog } from '../staging/catalog.ts';
import type { StagingResult } from '../staging/types.ts';
import type { StoredCandidates } from '../typing/stored-candidates.ts';
import type { StoredTypes } from '../typing/stored-types.ts';
import type { TableResolution, TypeCandidatesResult, TypeResolutionResult } from '../typing/types.ts';

export interface TableSummary {
  readonly table: string;
  readonly rawTable: string;
  readonly rows: number;
  readonly rejectedRows: number;
  readonly columns: number;
  /** Column -> its type in the typed table. */
  readonly types: Readonly<Record<string, string>>;
  readonly typedTable: string;
  readonly typedRows: number;
  readonly quarantineTable: string;
  readonly quarantinedRows: number;
  /** Overall quality score, 0..1 (null when nothing could be scored). */
  readonly quality: number | null;
}

export interface IngestSummary {
  readonly source: string;
  readonly sourceId: string;
  readonly tables: readonly TableSummary[];
  readonly warnings: readonly string[];
  /** Foreign keys found, as `table.column -> table.column`. */
  readonly relationships: readonly string[];
  /** Where the context document was written. */
  readonly contextDocument: ContextDocumentFiles;
  /** The summary as text, for people. */
  readonly text: string;
}

/**
 * The outcome of an ingest, for people and scripts.
 * @tag module=ingest
 */
export function ingestSummary(
  staging: StagingResult, stagedCatalog: StagedCatalog, storedProfiles: StoredProfiles, typeCandidates: TypeCandidatesResult,
  storedTypeCandidates: StoredCandidates, typeResolution: TypeResolutionResult, storedTypeResolution: StoredTypes,
  relationships: RelationshipsResult, qualityScores: QualityScores, contextDocumentFile: ContextDocumentFiles,
): IngestSummary {
  const tables = staging.tables.map((t): TableSummary => {
    const r = typeResolution.tables[t.name];
    return {
      table: t.name, rawTable: t.rawTable, rows: t.rowCount, rejectedRows: t.rejectCount ?? t.rejects.length, columns: t.columns.length,
      types: Object.fromEntries(Object.entries(r?.columns ?? {}).map(([c, col]) => [c, col.resolvedType])),
      typedTable: r?.typedTable ?? t.rawTable, typedRows: r?.typedRowCount ?? t.rowCount,
      quarantineTable: r?.quarantineTable ?? '', quarantinedRows: r?.quarantinedRowCount ?? 0,
      quality: qualityScores.tables[t.name]?.overall ?? null,
    };
  });
  const inferred = Object.values(typeCandidates.tables).reduce((n, t) => n + Object.keys(t.columns).length, 0);
  const lines = [`Source '${staging.sourceName}' (${staging.sourceType}): ${tables.length} table(s); ${storedProfiles.columns} column(s) profiled, ${inferred} typed by inference (${storedTypeCandidates.candidates} candidates), ${storedTypeResolution.decisions} decision(s) stored.`];
  for (const t of tables) {
    const quality = t.quality === null ? '' : `; quality ${formatPercent(t.quality, 0)}`;
    lines.push(`  ${t.table}: ${t.rows} rows${t.rejectedRows ? `, ${t.rejectedRows} rejected (see ${t.rawTable}__rejects)` : ''} -> ${t.typedTable} ${t.typedRows} rows${t.quarantinedRows ? `, ${t.quarantineTable} ${t.quarantinedRows} rows` : ''}${quality}`);
    lines.push(...typeLines(t, typeResolution.tables[t.table]));
  }
  const fks = relationships.relationships.map((r) => `${r.fromTable}.${r.fromColumns.join('+')} -> ${r.toTable}.${r.toColumns.join('+')}`);
  if (fks.length) lines.push(`  relationships: ${fks.join(', ')}`);
  if (qualityScores.anomalies.length) lines.push(`  anomalies: ${qualityScores.anomalies.length} (see the context document)`);
  for (const w of staging.warnings) lines.push(`  warning: ${w}`);
  lines.push(`Context document: ${contextDocumentFile.markdown} (and ${contextDocumentFile.json})`);
  return { source: staging.sourceName, sourceId: stagedCatalog.sourceId, tables, warnings: staging.warnings, relationships: fks, contextDocument: contextDocumentFile, text: lines.join('\n') };
}

/** Columns named on one summary line; a wider table's columns are counted by type. */
const LISTED_COLUMNS = 20;

/**
 * A table's column types for the summary: every `column:TYPE` for a narrow table; for a wider one
 * the count per type, up to LISTED_COLUMNS names per type, and the columns some of whose values
 * failed their type (the ones to look at). Every type is in `types` (and --json) either way.
 */
function typeLines(t: TableSummary, resolution: TableResolution | undefined): string[] {
  const entries = Object.entries(t.types);
  if (entries.length === 0) return [];
  if (entries.length <= LISTED_COLUMNS) return [`    ${entries.map(([c, ty]) => `${c}:${ty}`).join(', ')}`];
  const byType = new Map<string, string[]>();
  for (const [column, type] of entries) {
    if (!byType.has(type)) byType.set(type, []);
    byType.get(type)!.push(column);
  }
  const groups = [...byType].sort(([a, x], [b, y]) => y.length - x.length || a.localeCompare(b));
  const lines = [`    ${entries.length} columns: ${groups.map(([type, columns]) => `${columns.length} ${type}`).join(', ')}`];
  for (const [type, columns] of groups) lines.push(`      ${type}: ${listed(columns)}`);
  const failing = Object.values(resolution?.columns ?? {}).filter((c) => c.failureCount > 0);
  if (failing.length) lines.push(`    values failing their type (rows in ${t.quarantineTable}): ${listed(failing.map((c) => `${c.column}:${c.resolvedType} (${c.failureCount})`))}`);
  return lines;
}

/** Up to LISTED_COLUMNS names, then how many more. */
function listed(names: readonly string[]): string {
  return names.length <= LISTED_COLUMNS ? names.join(', ') : `${names.slice(0, LISTED_COLUMNS).join(', ')} and ${names.length - LISTED_COLUMNS} more`;
}
