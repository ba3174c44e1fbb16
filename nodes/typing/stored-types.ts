/**
 * Type decisions and their application, recorded in the metadata store: type_decisions, the raw
 * columns' resolved types, per-column resolution results (type_resolutions), and the
 * typed_/quarantine_ tables with their columns.
 */
import type { Transaction } from 'kysely';
import type { Database, JsonObject, StoreContext } from '../../store/index.ts';
import type { StagedCatalog } from '../staging/catalog.ts';
import { round6 } from './candidates.ts';
import type { AcceptedFit, ColumnTypeDecision, TypeDecisions, TypeResolutionResult } from './types.ts';

export interface StoredTypes {
  readonly resolvedAt: string;
  readonly decisions: number;
  /** Logical table -> ids of its typed and quarantine tables. */
  readonly tables: Readonly<Record<string, { readonly typedTableId: string; readonly quarantineTableId: string; readonly columns: Readonly<Record<string, string>> }>>;
}

/**
 * Manual type decisions already in the store for this source's columns: a person's earlier answer
 * wins over a new automatic guess, and is not asked again while it still fits the data (see
 * `priorTypeFit`).
 * @tag module=typing
 * @cache disable
 */
export async function priorTypeDecisions(stagedCatalog: StagedCatalog, store: StoreContext): Promise<Readonly<Record<string, ColumnTypeDecision>>> {
  const byColumn = new Map<string, { table: string; column: string }>();
  for (const [table, t] of Object.entries(stagedCatalog.tables)) for (const [column, id] of Object.entries(t.columns)) byColumn.set(id, { table, column });
  if (!byColumn.size) return {};
  const rows = await store.db.selectFrom('typeDecisions').selectAll()
    .where('columnId', 'in', [...byColumn.keys()]).where('decisionSource', '=', 'manual').execute();
  const out: Record<string, ColumnTypeDecision> = {};
  for (const r of rows) {
    const where = byColumn.get(r.columnId)!;
    const saved = (r.decisionDetail ?? {}) as Partial<ColumnTypeDecision>;
    if (!saved.format || !saved.rawType) continue; // recorded without its format: ask again
    const accepted = saved.acceptedFit;
    out[`${where.table}.${where.column}`] = {
      table: where.table, column: where.column, rawType: saved.rawType, decidedType: r.decidedType, format: saved.format,
      nullTokens: saved.nullTokens ?? [], confidence: 1, decisionSource: 'manual',
      reason: r.decisionReason ?? '', decidedBy: r.decidedBy ?? 'reviewer', decidedAt: r.decidedAt,
      ...(accepted && typeof accepted.parseSuccessRate === 'number' ? { acceptedFit: accepted } : {}),
    };
  }
  return out;
}

/**
 * Decisions, resolved column types, and the typed and quarantine tables, written to the store in one transaction.
 * @tag module=typing
 * @cache disable
 */
export async function storedTypeResolution(typeResolution: TypeResolutionResult, typeDecisions: TypeDecisions, stagedCatalog: StagedCatalog, store: StoreContext): Promise<StoredTypes> {
  const tables: Record<string, { typedTableId: string; quarantineTableId: string; columns: Record<string, string> }> = {};
  await store.db.transaction().execute(async (db) => {
    for (const d of typeDecisions.decisions) {
      const columnId = stagedCatalog.tables[d.table]?.columns[d.column];
      if (!columnId) continue;
      const previous = await db.selectFrom('typeDecisions').select(['decidedType', 'decisionSource']).where('columnId', '=', columnId).executeTakeFirst();
      const acceptedFit = d.decisionSource === 'manual' ? d.acceptedFit ?? fitWhenDecided(typeResolution, d) : undefined;
      const decisionDetail = JSON.parse(JSON.stringify({ format: d.format, rawType: d.rawType, nullTokens: d.nullTokens, acceptedFit })) as JsonObject;
      const fields = { decidedType: d.decidedType, decisionSource: d.decisionSource, decidedAt: d.decidedAt, decidedBy: d.decidedBy, decisionReason: d.reason, decisionDetail };
      if (previous) {
        await db.updateTable('typeDecisions').set({ ...fields, previousType: previous.decidedType === d.decidedType ? undefined : previous.decidedType }).where('columnId', '=', columnId).execute();
      } else {
        await db.insertInto('typeDecisions').values({ decisionId: crypto.randomUUID(), columnId, previousType: null, ...fields }).execute();
      }
    }
    for (const [name, res] of Object.entries(typeResolution.tables)) {
      const cat = stagedCatalog.tables[name];
      if (!cat) continue;
      const source = await db.selectFrom('tables').select(['sourceId', 'originalName']).where('tableId', '=', cat.tableId).executeTakeFirstOrThrow();
      // Typed columns keep the source's names of the raw columns they come from.
      const rawColumns = await db.selectFrom('columns').select(['columnName', 'originalName', 'rawType']).where('tableId', '=', cat.tableId).orderBy('columnPosition').execute();
      const originals = new Map(rawColumns.map((r) => [r.columnName, r.originalName]));
      const results = [];
      for (const [column, c] of Object.entries(res.columns)) {
        const columnId = cat.columns[column];
        if (!columnId) continue;
        await db.updateTable('columns').set({ resolvedType: c.resolvedType }).where('columnId', '=', columnId).execute();
        results.push({
          resolutionId: crypto.randomUUID(), columnId, resolvedAt: typeResolution.resolvedAt,
          decidedType: c.decidedType, resolvedType: c.resolvedType,
          successCount: c.successCount, failureCount: c.failureCount, nullCount: c.nullCount, successRate: c.successRate,
          sampleFailures: c.sampleFailures.map((f) => ({ row: f.row, value: f.value })),
        });
      }
      // Versioned by resolution pass; replaying the same pass (a cache hit) adds nothing.
      if (results.length) {
        const already = await db.selectFrom('typeResolutions').select('columnId')
          .where('columnId', 'in', results.map((r) => r.columnId)).where('resolvedAt', '=', typeResolution.resolvedAt).execute();
        const have = new Set(already.map((r) => r.columnId));
        const fresh = results.filter((r) => !have.has(r.columnId));
        for (let k = 0; k < fresh.length; k += 200) await db.insertInto('typeResolutions').values(fresh.slice(k, k + 200)).execute();
      }
      const upsertTable = async (tableName: string, layer: 'typed' | 'quarantine', rowCount: number) => {
        const row = await db.insertInto('tables')
          .values({ tableId: crypto.randomUUID(), sourceId: source.sourceId, tableName, originalName: source.originalName, layer, duckdbPath: null, rowCount, createdAt: typeResolution.resolvedAt })
          .onConflict((oc) => oc.columns(['sourceId', 'tableName', 'layer']).doUpdateSet({ originalName: source.originalName, rowCount }))
          .returning(['tableId']).executeTakeFirstOrThrow();
        return row.tableId;
      };
      const typedTableId = await upsertTable(name, 'typed', res.typedRowCount);
      const quarantineTableId = await upsertTable(name, 'quarantine', res.quarantinedRowCount);
      const columns = await upsertColumns(db, typedTableId, Object.entries(res.columns).map(([column, c]) => ({ name: column, originalName: originals.get(column) ?? null, rawType: c.decidedType, resolvedType: c.resolvedType })));
      // Quarantine rows hold the raw values, between their row number and the columns that failed.
      await upsertColumns(db, quarantineTableId, [
        { name: '_row_number', originalName: null, rawType: 'BIGINT', resolvedType: 'BIGINT' },
        ...rawColumns.map((r) => ({ name: r.columnName, originalName: r.originalName, rawType: r.rawType, resolvedType: r.rawType })),
        { name: '_failed_columns', originalName: null, rawType: 'VARCHAR[]', resolvedType: 'VARCHAR[]' },
      ]);
      tables[name] = { typedTableId, quarantineTableId, columns };
    }
  });
  return { resolvedAt: typeResolution.resolvedAt, decisions: typeDecisions.decisions.length, tables };
}

/**
 * A new manual decision's fit, as this resolution pass applied it to the data the person decided
 * on; a decision applied again carries the fit it was accepted with, so the baseline never drifts.
 */
function fitWhenDecided(typeResolution: TypeResolutionResult, d: ColumnTypeDecision): AcceptedFit | undefined {
  const c = typeResolution.tables[d.table]?.columns[d.column];
  if (!c) return undefined;
  // Rounded like the inference's parse rates, which it is compared with.
  return { parseSuccessRate: round6(c.successRate), parsedCount: c.successCount, failedCount: c.failureCount };
}

interface ColumnRow {
  readonly name: string;
  readonly originalName: string | null;
  readonly rawType: string | null;
  readonly resolvedType: string | null;
}

/**
 * A table's columns, in order, by name; a column the table no longer has (renamed or dropped at
 * the source) leaves its metadata too. Returns name -> column id.
 */
async function upsertColumns(db: Transaction<Database>, tableId: string, columns: readonly ColumnRow[]): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  for (const [position, c] of columns.entries()) {
    const fields = { originalName: c.originalName, columnPosition: position, rawType: c.rawType, resolvedType: c.resolvedType };
    const row = await db.insertInto('columns')
      .values({ columnId: crypto.randomUUID(), tableId, columnName: c.name, ...fields })
      .onConflict((oc) => oc.columns(['tableId', 'columnName']).doUpdateSet(fields))
      .returning(['columnId']).executeTakeFirstOrThrow();
    ids[c.name] = row.columnId;
  }
  let gone = db.deleteFrom('columns').where('tableId', '=', tableId);
  if (columns.length) gone = gone.where('columnName', 'not in', columns.map((c) => c.name));
  await gone.execute();
  return ids;
}
