/**
 * Records type candidates in the metadata store. Candidates describe the column as inferred now:
 * a new inference replaces the column's previous candidates.
 */
import type { JsonObject, StoreContext } from '../../store/index.ts';
import type { StagedCatalog } from '../staging/catalog.ts';
import type { TypeCandidatesResult } from './types.ts';

export interface StoredCandidates {
  readonly inferredAt: string;
  readonly columns: number;
  readonly candidates: number;
}

/**
 * Type candidates of every inferred column, written to type_candidates (one transaction).
 * @tag module=typing
 * @cache disable
 */
export async function storedTypeCandidates(typeCandidates: TypeCandidatesResult, stagedCatalog: StagedCatalog, store: StoreContext): Promise<StoredCandidates> {
  let columns = 0;
  let candidates = 0;
  await store.db.transaction().execute(async (db) => {
    for (const [tableName, table] of Object.entries(typeCandidates.tables)) {
      const cat = stagedCatalog.tables[tableName];
      if (!cat) continue;
      for (const col of Object.values(table.columns)) {
        const columnId = cat.columns[col.column];
        if (!columnId) continue;
        await db.deleteFrom('typeCandidates').where('columnId', '=', columnId).execute();
        const rows = col.candidates.map((c) => ({
          candidateId: crypto.randomUUID(), columnId, detectedAt: typeCandidates.inferredAt,
          dataType: c.duckdbType, confidence: c.confidence, parseSuccessRate: c.parseSuccessRate,
          failedExamples: c.failedExamples.map((f) => ({ ...f })),
          format: JSON.parse(JSON.stringify(c.format)) as JsonObject,
          detectedPattern: col.pattern?.pattern ?? null, patternMatchRate: col.pattern?.matchRate ?? null,
          detectedUnit: col.unit?.unit ?? null, unitConfidence: col.unit?.confidence ?? null,
        }));
        if (rows.length) await db.insertInto('typeCandidates').values(rows).execute();
        columns++;
        candidates += rows.length;
      }
    }
  });
  return { inferredAt: typeCandidates.inferredAt, columns, candidates };
}
