/**
 * Persistence of relationships and join paths on a real SQLite file and a fresh PostgreSQL
 * database: ids from the catalog, human confirmations survive re-detection, stale detections go,
 * replays are idempotent.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDuckDB, type DuckDBConnection } from '../../nodes/duckdb.ts';
import { joinPaths } from '../../nodes/enrichment/topology/join-paths.ts';
import { relationships } from '../../nodes/enrichment/topology/relationships.ts';
import { storedRelationships } from '../../nodes/enrichment/topology/stored-relationships.ts';
import type { JoinPathsResult, RelationshipsResult } from '../../nodes/enrichment/topology/types.ts';
import type { TypedSource } from '../../nodes/enrichment/types.ts';
import type { Store } from '../../store/index.ts';
import { DIALECTS, storeLifecycle } from '../store/helpers.ts';
import { typedSourceOf } from './helpers.ts';
import { musicSchema } from './schemas.ts';

let conn: DuckDBConnection;
let plain: TypedSource;
let rels: RelationshipsResult;
let paths: JoinPathsResult;

beforeAll(async () => {
  conn = await openDuckDB(':memory:');
  const schema = await musicSchema(conn);
  plain = await typedSourceOf(conn, 'music', schema.tables);
  rels = await relationships(plain, conn);
  paths = joinPaths(rels, plain);
});
afterAll(() => conn.closeSync());

/** Records the source's typed tables and columns in the catalog, as type resolution would, and returns the source with their ids. */
async function catalogued(store: Store, source: TypedSource): Promise<TypedSource> {
  const sourceId = crypto.randomUUID();
  await store.db.insertInto('sources').values({ sourceId, name: source.sourceName, sourceType: 'duckdb', connectionConfig: {} }).execute();
  const tables = [];
  for (const t of source.tables) {
    const tableId = crypto.randomUUID();
    await store.db.insertInto('tables').values({ tableId, sourceId, tableName: t.name, layer: 'typed', duckdbPath: null, rowCount: t.rowCount }).execute();
    const columns = t.columns.map((c) => ({ ...c, columnId: crypto.randomUUID() }));
    await store.db.insertInto('columns').values(columns.map((c) => ({ columnId: c.columnId, tableId, columnName: c.name, originalName: c.originalName, columnPosition: c.position, rawType: null, resolvedType: c.type }))).execute();
    tables.push({ ...t, tableId, columns });
  }
  return { ...source, tables };
}

const columnPairs = (r: RelationshipsResult) => r.relationships.reduce((n, x) => n + x.fromColumns.length, 0) + r.manyToMany.length;

for (const dialect of DIALECTS) {
  describe(`storedRelationships on ${dialect}`, () => {
    const { ctx, setUp, tearDown } = storeLifecycle(dialect);
    beforeEach(setUp);
    afterEach(tearDown);

    it('stores every column pair and path, keeps confirmations, removes stale detections, and replays idempotently', async () => {
      const { store } = ctx;
      const source = await catalogued(store, plain);
      const first = await storedRelationships(rels, paths, source, store);
      expect(first).toMatchObject({ relationships: columnPairs(rels), joinPaths: paths.paths.length, keptConfirmed: 0, removedStale: 0, warnings: [] });

      const stored = await store.db.selectFrom('relationships').selectAll().execute();
      expect(stored).toHaveLength(columnPairs(rels));
      const reportsTo = stored.find((r) => (r.evidence as { key?: string }).key === 'Employee(ReportsTo)->Employee(EmployeeId)');
      expect(reportsTo).toMatchObject({ relationshipType: 'foreign_key', cardinality: 'many_to_one', detectionMethod: 'value_and_name', isConfirmed: false });
      expect(stored.filter((r) => r.relationshipType === 'many_to_many')).toHaveLength(1);

      // A person confirms one; an old detection that no longer holds lingers, confirmed or not.
      const tableId = source.tables[0].tableId as string;
      const [c0, c1] = source.tables[0].columns.map((c) => c.columnId as string);
      await store.db.updateTable('relationships').set({ isConfirmed: true, confirmedBy: 'alice', confirmedAt: '2026-01-02T03:04:05.000Z' })
        .where('relationshipId', '=', reportsTo?.relationshipId as string).execute();
      await store.db.insertInto('relationships').values([
        { relationshipId: crypto.randomUUID(), fromTableId: tableId, fromColumnId: c1, toTableId: tableId, toColumnId: c0, relationshipType: 'foreign_key', detectionMethod: 'value', confidence: 0.6, isConfirmed: false },
        { relationshipId: crypto.randomUUID(), fromTableId: tableId, fromColumnId: c0, toTableId: tableId, toColumnId: c1, relationshipType: 'foreign_key', detectionMethod: 'value', confidence: 0.6, isConfirmed: true, confirmedBy: 'bob' },
      ]).execute();

      const again = await storedRelationships(rels, paths, source, store);
      expect(again).toMatchObject({ relationships: columnPairs(rels), joinPaths: paths.paths.length, keptConfirmed: 2, removedStale: 1 });
      const after = await store.db.selectFrom('relationships').selectAll().execute();
      expect(after).toHaveLength(columnPairs(rels) + 1);
      expect(after.find((r) => r.relationshipId === reportsTo?.relationshipId)).toMatchObject({ isConfirmed: true, confirmedBy: 'alice', confirmedAt: '2026-01-02T03:04:05.000Z' });
      expect(after.find((r) => r.confirmedBy === 'bob')).toBeDefined();
      expect(await store.db.selectFrom('joinPaths').select('pathId').execute()).toHaveLength(paths.paths.length);

      const path = await store.db.selectFrom('joinPaths').selectAll().where('pathLength', '=', 2).executeTakeFirstOrThrow();
      expect((path.pathSteps as { condition: string }[])[0].condition).toMatch(/^"typed_\w+"\."\w+" = "typed_\w+"\."\w+"$/);
    });

    it('stores nothing and says why when the tables have no store ids', async () => {
      const result = await storedRelationships(rels, paths, plain, ctx.store);
      expect(result).toMatchObject({ relationships: 0, joinPaths: 0 });
      expect(result.warnings[0]).toMatch(/tables without a store id .*Artist/);
      expect(await ctx.store.db.selectFrom('relationships').select('relationshipId').execute()).toEqual([]);
    });
  });
}
