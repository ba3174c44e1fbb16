/**
 * Metadata-store ids of typed tables and columns. The typed source carries them when the catalog
 * recorded them; otherwise they are looked up by source, table and column name (typed layer first,
 * then raw: a strongly typed source is annotated on its raw tables).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../store/index.ts';
import type { TypedSource, TypedTable } from '../types.ts';

export interface TableIds {
  readonly tableId: string;
  /** Column name -> column id. */
  readonly columns: ReadonlyMap<string, string>;
}

/** Ids for every table of the source; throws naming the first table or column the store does not know. */
export async function storeIds(db: Kysely<Database>, typedSource: TypedSource): Promise<Map<string, TableIds>> {
  const out = new Map<string, TableIds>();
  for (const table of typedSource.tables) out.set(table.name, await tableIds(db, typedSource.sourceName, table));
  return out;
}

async function tableIds(db: Kysely<Database>, sourceName: string, table: TypedTable): Promise<TableIds> {
  let tableId = table.tableId;
  if (!tableId) {
    const rows = await db.selectFrom('tables').innerJoin('sources', 'sources.sourceId', 'tables.sourceId')
      .select(['tables.tableId', 'tables.layer'])
      .where('sources.name', '=', sourceName).where('tables.tableName', '=', table.name).where('tables.layer', 'in', ['typed', 'raw'])
      .execute();
    tableId = (rows.find((r) => r.layer === 'typed') ?? rows[0])?.tableId;
    if (!tableId) {
      throw new Error(`Semantic annotations: table '${table.name}' of source '${sourceName}' is not in the metadata store; record the catalog (stagedCatalog / type resolution) before storing annotations, or pass tableId in the typed source`);
    }
  }
  const columns = new Map<string, string>();
  const missing = table.columns.filter((c) => !c.columnId);
  for (const c of table.columns) if (c.columnId) columns.set(c.name, c.columnId);
  if (missing.length) {
    const rows = await db.selectFrom('columns').select(['columnId', 'columnName'])
      .where('tableId', '=', tableId).where('columnName', 'in', missing.map((c) => c.name)).execute();
    for (const r of rows) columns.set(r.columnName, r.columnId);
    const unknown = missing.filter((c) => !columns.has(c.name)).map((c) => c.name);
    if (unknown.length) {
      throw new Error(`Semantic annotations: column${unknown.length === 1 ? '' : 's'} ${unknown.map((u) => `'${u}'`).join(', ')} of table '${table.name}' (table id ${tableId}) not in the metadata store; re-run the catalog for source '${sourceName}' or pass columnId in the typed source`);
    }
  }
  return { tableId, columns };
}
