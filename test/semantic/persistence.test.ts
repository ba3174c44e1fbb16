import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadOntology } from '../../config/ontology.ts';
import { openDuckDB, type DuckDBConnection } from '../../nodes/duckdb.ts';
import { getMetrics } from '../../nodes/enrichment/semantic/metrics.ts';
import { storedOntology } from '../../nodes/enrichment/semantic/ontology.ts';
import { storedOntologyApplications } from '../../nodes/enrichment/semantic/ontology-metrics.ts';
import { semanticAnnotations } from '../../nodes/enrichment/semantic/semantic-annotations.ts';
import { storedSemanticAnnotations } from '../../nodes/enrichment/semantic/stored-semantic-annotations.ts';
import type { SemanticAnnotations } from '../../nodes/enrichment/semantic/types.ts';
import type { TypedSource, TypedTable } from '../../nodes/enrichment/types.ts';
import type { Store } from '../../store/index.ts';
import { DIALECTS, storeLifecycle } from '../store/helpers.ts';
import { retailStar } from './helpers.ts';

let conn: DuckDBConnection;
let customers: TypedTable;
let sales: TypedTable;
let annotations: SemanticAnnotations;
const retail = loadOntology('retail');

beforeAll(async () => {
  conn = await openDuckDB(':memory:');
  ({ customers, sales } = await retailStar(conn));
  annotations = await semanticAnnotations({ sourceName: 'shop', tables: [customers, sales] }, conn, retail, undefined, [
    { fromTable: 'sales', fromColumn: 'customer_id', toTable: 'customers', toColumn: 'customer_id', confidence: 0.9 },
  ]);
});
afterAll(() => conn?.closeSync());

/**
 * Records the source's typed tables and columns in the store, as the catalog does. `customers`
 * comes back with its ids in the typed source; `sales` is found by name.
 */
async function catalog(store: Store): Promise<TypedSource> {
  const sourceId = crypto.randomUUID();
  await store.db.insertInto('sources').values({ sourceId, name: 'shop', sourceType: 'duckdb', connectionConfig: {} }).execute();
  const ids: Record<string, { tableId: string; columns: Record<string, string> }> = {};
  for (const t of [customers, sales]) {
    const tableId = crypto.randomUUID();
    await store.db.insertInto('tables').values({ tableId, sourceId, tableName: t.name, layer: 'typed', duckdbPath: null, rowCount: t.rowCount }).execute();
    const columns: Record<string, string> = {};
    for (const c of t.columns) {
      columns[c.name] = crypto.randomUUID();
      await store.db.insertInto('columns').values({ columnId: columns[c.name]!, tableId, columnName: c.name, originalName: c.name, columnPosition: c.position, rawType: 'VARCHAR', resolvedType: c.type }).execute();
    }
    ids[t.name] = { tableId, columns };
  }
  const withIds: TypedTable = { ...customers, tableId: ids.customers!.tableId, columns: customers.columns.map((c) => ({ ...c, columnId: ids.customers!.columns[c.name] })) };
  return { sourceName: 'shop', tables: [withIds, sales] };
}

async function count(store: Store, table: 'semanticAnnotations' | 'tableEntities' | 'ontologyApplications' | 'ontologies'): Promise<number> {
  const r = await store.db.selectFrom(table).select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

for (const dialect of DIALECTS) {
  describe(`persistence on ${dialect}`, () => {
    const { ctx, setUp, tearDown } = storeLifecycle(dialect);
    beforeEach(setUp);
    afterEach(tearDown);

    it('writes one annotation per column and one entity per table; a replay changes nothing', async () => {
      const source = await catalog(ctx.store);
      const first = await storedSemanticAnnotations(annotations, source, ctx.store);
      const nColumns = customers.columns.length + sales.columns.length;
      expect(first).toEqual({ columns: nColumns, tables: 2, keptManual: [], manual: {} });
      const rows = await ctx.store.db.selectFrom('semanticAnnotations').innerJoin('columns', 'columns.columnId', 'semanticAnnotations.columnId')
        .select(['columns.columnName', 'semanticAnnotations.annotationId', 'semanticRole', 'businessName', 'ontologyTerm', 'ontologyUri', 'annotationSource', 'confidence', 'businessDomain'])
        .where('columns.tableId', '=', source.tables[0]!.tableId!).execute();
      const custNm = rows.find((r) => r.columnName === 'cust_nm')!;
      expect(custNm).toMatchObject({ semanticRole: 'attribute', businessName: 'Customer name', ontologyTerm: 'customer_name', annotationSource: 'heuristic', businessDomain: 'retail', ontologyUri: 'urn:dataraum:ontology:retail:customer_name' });
      expect(rows.find((r) => r.columnName === 'customer_id')!.semanticRole).toBe('key');

      const entities = await ctx.store.db.selectFrom('tableEntities').innerJoin('tables', 'tables.tableId', 'tableEntities.tableId')
        .select(['tables.tableName', 'detectedEntityType', 'grainColumns', 'isFactTable', 'isDimensionTable', 'detectionSource', 'evidence']).orderBy('tables.tableName').execute();
      expect(entities.map((e) => ({ ...e, evidence: undefined }))).toEqual([
        { tableName: 'customers', detectedEntityType: 'customer', grainColumns: ['customer_id'], isFactTable: false, isDimensionTable: true, detectionSource: 'heuristic', evidence: undefined },
        { tableName: 'sales', detectedEntityType: 'sale', grainColumns: ['order_id', 'line_no'], isFactTable: true, isDimensionTable: false, detectionSource: 'heuristic', evidence: undefined },
      ]);
      expect(entities[1]!.evidence).toMatchObject({ primary_time_column: 'order_date', row_count: 1500 });

      const again = await storedSemanticAnnotations(annotations, source, ctx.store);
      expect(again).toEqual(first);
      expect(await count(ctx.store, 'semanticAnnotations')).toBe(nColumns);
      expect(await count(ctx.store, 'tableEntities')).toBe(2);
      const ids = await ctx.store.db.selectFrom('semanticAnnotations').select('annotationId').execute();
      expect(rows.map((r) => r.annotationId).every((id) => ids.some((r) => r.annotationId === id))).toBe(true); // upserted in place
    });

    it('never overwrites a manual annotation or a manual table entity', async () => {
      const source = await catalog(ctx.store);
      await storedSemanticAnnotations(annotations, source, ctx.store);
      const emailId = source.tables[0]!.columns.find((c) => c.name === 'email')!.columnId!;
      await ctx.store.db.updateTable('semanticAnnotations')
        .set({ semanticRole: 'key', businessName: 'Login', annotationSource: 'manual', annotatedBy: 'ana', confidence: 1 })
        .where('columnId', '=', emailId).execute();
      const customersId = source.tables[0]!.tableId!;
      await ctx.store.db.deleteFrom('tableEntities').where('tableId', '=', customersId).execute();
      await ctx.store.db.insertInto('tableEntities').values({ entityId: crypto.randomUUID(), tableId: customersId, detectedEntityType: 'shopper', description: 'by hand', confidence: 1, evidence: null, grainColumns: ['email'], isFactTable: false, isDimensionTable: true, detectionSource: 'manual' }).execute();

      const result = await storedSemanticAnnotations(annotations, source, ctx.store);
      expect(result.keptManual).toEqual(['customers.email', 'customers']);
      // Handed on for the context document: what the person said, as stored.
      expect(Object.keys(result.manual)).toEqual(['customers']);
      expect(Object.keys(result.manual.customers!)).toEqual(['email']);
      expect(result.manual.customers!.email).toMatchObject({ role: 'key', businessName: 'Login' });
      expect(result.columns).toBe(customers.columns.length + sales.columns.length - 1);
      const email = await ctx.store.db.selectFrom('semanticAnnotations').selectAll().where('columnId', '=', emailId).executeTakeFirstOrThrow();
      expect(email).toMatchObject({ semanticRole: 'key', businessName: 'Login', annotationSource: 'manual', annotatedBy: 'ana', confidence: 1 });
      const entity = await ctx.store.db.selectFrom('tableEntities').selectAll().where('tableId', '=', customersId).execute();
      expect(entity).toHaveLength(1);
      expect(entity[0]).toMatchObject({ detectedEntityType: 'shopper', detectionSource: 'manual', grainColumns: ['email'] });
      // The rest was still refreshed.
      const region = source.tables[0]!.columns.find((c) => c.name === 'region')!.columnId!;
      const r = await ctx.store.db.selectFrom('semanticAnnotations').select(['annotationSource', 'annotatedAt']).where('columnId', '=', region).executeTakeFirstOrThrow();
      expect(r).toEqual({ annotationSource: 'heuristic', annotatedAt: annotations.annotatedAt });
    });

    it('names the table the store does not know, and writes nothing', async () => {
      const source = await catalog(ctx.store);
      const ghost: TypedSource = { ...source, tables: [...source.tables, { ...sales, name: 'ghost' }] };
      await expect(storedSemanticAnnotations(annotations, ghost, ctx.store)).rejects.toThrow(/table 'ghost' of source 'shop' is not in the metadata store/);
      expect(await count(ctx.store, 'semanticAnnotations')).toBe(0);
    });

    it('stores the ontology (builtin) and its applications per table, idempotently', async () => {
      const source = await catalog(ctx.store);
      const stored = await storedOntology(retail, ctx.store);
      expect(stored).toMatchObject({ name: 'retail', isBuiltin: true });
      expect(await storedOntology(retail, ctx.store)).toEqual(stored);
      expect(await count(ctx.store, 'ontologies')).toBe(1);
      const row = await ctx.store.db.selectFrom('ontologies').selectAll().executeTakeFirstOrThrow();
      expect((row.concepts as { name: string }[]).map((c) => c.name)).toEqual(retail.concepts.map((c) => c.name));
      expect((row.metrics as { name: string }[]).length).toBe(retail.metrics.length);

      const metrics = getMetrics(retail, source, annotations);
      const first = await storedOntologyApplications(metrics, retail, stored, source, ctx.store);
      expect(first).toEqual({ applications: 2 });
      expect(await storedOntologyApplications(metrics, retail, stored, source, ctx.store)).toEqual(first);
      expect(await count(ctx.store, 'ontologyApplications')).toBe(2);
      const app = await ctx.store.db.selectFrom('ontologyApplications').selectAll().where('tableId', '=', (await ctx.store.db.selectFrom('tables').select('tableId').where('tableName', '=', 'sales').executeTakeFirstOrThrow()).tableId).executeTakeFirstOrThrow();
      expect(app.matchedConcepts).toMatchObject({ order_id: 'order_id', revenue: 'amount', quantity: 'qty', order_date: 'order_date' });
      const aov = (app.applicableMetrics as { metric: string; sql: string }[]).find((m) => m.metric === 'average_order_value')!;
      expect(aov.sql).toBe('SELECT SUM("amount") / NULLIF(COUNT(DISTINCT "order_id"), 0) AS "average_order_value" FROM "typed_sales"');
      expect(app.appliedRules).toEqual(expect.arrayContaining([expect.objectContaining({ concept: 'quantity', rule_type: 'positive', column: 'qty' })]));
    });
  });
}
