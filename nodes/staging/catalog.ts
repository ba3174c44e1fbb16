/**
 * Records what staging loaded in the metadata store: the source, its raw tables and their
 * columns, each with the source's own name for it. Upserts keep ids stable across runs, so
 * re-staging replaces rows instead of adding them, and everything keyed on a column (profiles,
 * annotations) stays attached.
 */
import type { JsonObject, StoreContext } from '../../store/index.ts';
import type { SourceConfig } from './source-config.ts';
import type { StagingResult } from './types.ts';

export interface CatalogTable {
  readonly tableId: string;
  readonly rawTable: string;
  /** Column name -> column id. */
  readonly columns: Readonly<Record<string, string>>;
}

export interface StagedCatalog {
  readonly sourceId: string;
  readonly sourceName: string;
  /** Logical table name -> its raw-layer row. */
  readonly tables: Readonly<Record<string, CatalogTable>>;
}

/** The source config as stored: a connection string's password never reaches the store. */
export function _redactedConfig(config: SourceConfig): JsonObject {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) {
    if (v === undefined) continue;
    out[k] = k === 'connection_string' && typeof v === 'string' ? v.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@') : v;
  }
  return out as JsonObject;
}

/**
 * The source, its raw tables and columns, recorded in the metadata store (one transaction).
 * @tag module=staging
 * @cache disable
 */
export async function stagedCatalog(staging: StagingResult, sourceConfig: SourceConfig, store: StoreContext): Promise<StagedCatalog> {
  return store.db.transaction().execute(async (db) => {
    const at = new Date().toISOString();
    const source = await db.insertInto('sources')
      .values({ sourceId: crypto.randomUUID(), name: staging.sourceName, sourceType: staging.sourceType, connectionConfig: _redactedConfig(sourceConfig), createdAt: at, updatedAt: at })
      .onConflict((oc) => oc.column('name').doUpdateSet({ sourceType: staging.sourceType, connectionConfig: _redactedConfig(sourceConfig), updatedAt: at }))
      .returning(['sourceId'])
      .executeTakeFirstOrThrow();
    const sourceId = source.sourceId;

    // Tables the source no longer has go, in every layer, with their columns and everything
    // hanging off them (staging has dropped their DuckDB tables).
    const keep = staging.tables.map((t) => t.name);
    let stale = db.deleteFrom('tables').where('sourceId', '=', sourceId);
    if (keep.length) stale = stale.where('tableName', 'not in', keep);
    await stale.execute();

    const tables: Record<string, CatalogTable> = {};
    for (const t of staging.tables) {
      const row = await db.insertInto('tables')
        .values({ tableId: crypto.randomUUID(), sourceId, tableName: t.name, originalName: t.originalName, layer: 'raw', duckdbPath: null, rowCount: t.rowCount, createdAt: at })
        .onConflict((oc) => oc.columns(['sourceId', 'tableName', 'layer']).doUpdateSet({ originalName: t.originalName, rowCount: t.rowCount }))
        .returning(['tableId'])
        .executeTakeFirstOrThrow();
      const names = t.columns.map((c) => c.name);
      let gone = db.deleteFrom('columns').where('tableId', '=', row.tableId);
      if (names.length) gone = gone.where('columnName', 'not in', names);
      await gone.execute();
      const columns: Record<string, string> = {};
      for (const c of t.columns) {
        const col = await db.insertInto('columns')
          .values({ columnId: crypto.randomUUID(), tableId: row.tableId, columnName: c.name, originalName: c.originalName, columnPosition: c.position, rawType: c.rawType, resolvedType: null })
          .onConflict((oc) => oc.columns(['tableId', 'columnName']).doUpdateSet({ originalName: c.originalName, columnPosition: c.position, rawType: c.rawType }))
          .returning(['columnId'])
          .executeTakeFirstOrThrow();
        columns[c.name] = col.columnId;
      }
      tables[t.name] = { tableId: row.tableId, rawTable: t.rawTable, columns };
    }
    return { sourceId, sourceName: staging.sourceName, tables };
  });
}
