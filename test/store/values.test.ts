import { sql } from 'kysely';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreError, VALUE_COLUMNS, VIEW_VALUE_COLUMNS } from '../../store/index.ts';
import { seedCatalog, type CatalogRows } from './fixtures.ts';
import { DIALECTS, storeLifecycle } from './helpers.ts';

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe.each(DIALECTS)('values on %s', (dialect) => {
  const { ctx, setUp, tearDown } = storeLifecycle(dialect);
  beforeEach(setUp);
  afterEach(tearDown);

  it('round-trips every column of every table unchanged', async () => {
    const { rows } = await seedCatalog(ctx.store);
    for (const [table, written] of Object.entries(rows) as [keyof CatalogRows, Record<string, unknown>[]][]) {
      const read = await ctx.store.db.selectFrom(table).selectAll().execute();
      const key = Object.keys(written[0])[0];
      const byKey = (r: Record<string, unknown>) => String(r[key]);
      expect(
        [...(read as Record<string, unknown>[])].sort((a, b) => byKey(a).localeCompare(byKey(b))),
        table,
      ).toEqual([...written].sort((a, b) => byKey(a).localeCompare(byKey(b))));
    }
  });

  it('returns JSON, booleans, numbers and timestamps as the same JS types on both dialects', async () => {
    const { ids } = await seedCatalog(ctx.store);
    const entity = await ctx.store.db.selectFrom('tableEntities').selectAll().executeTakeFirstOrThrow();
    expect(entity.isFactTable).toBe(true);
    expect(entity.isDimensionTable).toBe(false);
    expect(entity.grainColumns).toEqual(['date', 'origin']);
    const ontology = await ctx.store.db.selectFrom('ontologies').select(['semanticHints', 'qualityRules']).executeTakeFirstOrThrow();
    expect(ontology).toEqual({ semanticHints: 'plain string as JSON', qualityRules: [] });
    // Under an alias (also through a table alias) they come back as the same types.
    const aliased = await ctx.store.db.selectFrom('tableEntities as e')
      .select(['e.grainColumns as grain', 'e.isFactTable as fact', 'isDimensionTable as dimension_flag']).executeTakeFirstOrThrow();
    expect(aliased).toEqual({ grain: ['date', 'origin'], fact: true, dimensionFlag: false });

    const big = await ctx.store.db.selectFrom('tables').select('rowCount').where('tableId', '=', ids.flights).executeTakeFirstOrThrow();
    expect(big.rowCount).toBe(2 ** 40);
    const agg = await ctx.store.db
      .selectFrom('tables')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('rowCount').as('total'), eb.fn.avg<number>('rowCount').as('mean')])
      .executeTakeFirstOrThrow();
    expect(agg).toEqual({ n: 2, total: 2 ** 40 + 3376, mean: (2 ** 40 + 3376) / 2 });
    // The parsers belong to the store's pool: pg's process-wide defaults are untouched.
    expect(pg.types.getTypeParser(20, 'text')('12')).toBe('12');

    // Booleans and Dates in WHERE clauses (and raw SQL) are bound the same way as in inserts.
    const facts = await ctx.store.db.selectFrom('tableEntities').select('entityId').where('isFactTable', '=', true).execute();
    expect(facts).toHaveLength(1);
    const before = async (iso: string) =>
      (await sql<{ n: number }>`select count(*) as n from column_profiles where profiled_at < ${new Date(iso)}`.execute(ctx.store.db)).rows[0].n;
    expect(await before('2026-01-15T10:00:00Z')).toBe(1);
    expect(await before('2026-01-15T10:00:00.001Z')).toBe(2);
    const { rows: raw } = await sql<{ n: number }>`select count(*) as n from table_entities where is_fact_table = ${true} and detected_at < ${new Date()}`.execute(ctx.store.db);
    expect(raw[0].n).toBe(1);
  });

  it('fills timestamp defaults in the same ISO form the store writes, and normalizes what is written', async () => {
    const sourceId = crypto.randomUUID();
    await ctx.store.db.insertInto('sources').values({ sourceId, name: 's', sourceType: 'csv', connectionConfig: {} }).execute();
    const tableId = crypto.randomUUID();
    await ctx.store.db
      .insertInto('tables')
      .values({ tableId, sourceId, tableName: 't', layer: 'raw', lastProfiledAt: new Date(Date.UTC(2024, 0, 31, 12)) })
      .execute();
    const source = await ctx.store.db.selectFrom('sources').selectAll().executeTakeFirstOrThrow();
    expect(source.createdAt).toMatch(ISO_MS);
    expect(Math.abs(Date.parse(source.createdAt) - Date.now())).toBeLessThan(60_000);

    await ctx.store.db.updateTable('tables').set({ createdAt: '2024-01-31 12:00:00' }).where('tableId', '=', tableId).execute();
    const table = await ctx.store.db.selectFrom('tables').select(['createdAt', 'lastProfiledAt']).executeTakeFirstOrThrow();
    expect(table).toEqual({ createdAt: '2024-01-31T12:00:00.000Z', lastProfiledAt: '2024-01-31T12:00:00.000Z' });

    const error = await ctx.store.db.updateTable('tables').set({ createdAt: 'yesterday' }).execute().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as Error).message).toMatch(/Invalid timestamp "yesterday" for tables\.created_at/);
  });

  it('encodes JSON in upserts and updates, including arrays (pg would send them as PostgreSQL arrays)', async () => {
    const sourceId = crypto.randomUUID();
    await ctx.store.db
      .insertInto('sources')
      .values({ sourceId, name: 'u', sourceType: 'csv', connectionConfig: { a: 1 } })
      .onConflict((oc) => oc.column('name').doUpdateSet({ connectionConfig: { a: 2 } }))
      .execute();
    await ctx.store.db
      .insertInto('sources')
      .values({ sourceId: crypto.randomUUID(), name: 'u', sourceType: 'csv', connectionConfig: { a: 3 } })
      .onConflict((oc) => oc.column('name').doUpdateSet({ connectionConfig: { a: 2, list: [1, 'two', null] } }))
      .execute();
    const runId = crypto.randomUUID();
    await ctx.store.db.insertInto('runs').values({ runId, dataflowName: 'd', status: 'running', finalVars: ['x', 'y'] }).execute();
    await ctx.store.db.updateTable('runs').set({ finalVars: ['z'], config: 42 }).where('runId', '=', runId).execute();
    await ctx.store.db.updateTable('runs').set('config', { nested: [{ deep: true }] }).where('runId', '=', runId).execute();
    expect((await ctx.store.db.selectFrom('runs').select('config').executeTakeFirstOrThrow()).config).toEqual({ nested: [{ deep: true }] });
    await ctx.store.db.updateTable('runs').set('config', 42).where('runId', '=', runId).execute();
    expect(await ctx.store.db.selectFrom('sources').select(['sourceId', 'connectionConfig']).execute()).toEqual([
      { sourceId, connectionConfig: { a: 2, list: [1, 'two', null] } },
    ]);
    expect(await ctx.store.db.selectFrom('runs').select(['finalVars', 'config']).execute()).toEqual([{ finalVars: ['z'], config: 42 }]);
  });
});

describe('schema on postgres', () => {
  const { ctx, setUp, tearDown } = storeLifecycle('postgres');
  beforeEach(setUp);
  afterEach(tearDown);

  it('lists exactly the jsonb, boolean and timestamptz columns in VALUE_COLUMNS (the codec relies on it)', async () => {
    const { rows } = await sql<{ table: string; column: string; type: string; isView: boolean }>`
      select c.table_name as "table", c.column_name as "column", c.data_type as "type",
             (t.table_type = 'VIEW') as "isView"
      from information_schema.columns c
      join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
      where c.table_schema = 'public' and c.table_name not like 'kysely_%'
    `.execute(ctx.store.db.withoutPlugins());
    const kinds = { json: 'jsonb', boolean: 'boolean', timestamp: 'timestamp with time zone' } as const;
    for (const [kind, type] of Object.entries(kinds) as [keyof typeof kinds, string][]) {
      const actual = rows.filter((r) => !r.isView && r.type === type).map((r) => `${r.table}.${r.column}`).sort();
      const listed = Object.entries(VALUE_COLUMNS).flatMap(([t, c]) => c[kind].map((col) => `${t}.${col}`)).sort();
      expect(listed, kind).toEqual(actual);
    }
    // Decoding by name on SQLite: a name listed as JSON or boolean anywhere must be that everywhere.
    const jsonNames = new Set([...Object.values(VALUE_COLUMNS), ...Object.values(VIEW_VALUE_COLUMNS)].flatMap((c) => c.json));
    const boolNames = new Set([...Object.values(VALUE_COLUMNS), ...Object.values(VIEW_VALUE_COLUMNS)].flatMap((c) => c.boolean));
    const mismatched = rows.filter(
      (r) => (jsonNames.has(r.column) && r.type !== 'jsonb') || (boolNames.has(r.column) && r.type !== 'boolean'),
    );
    expect(mismatched).toEqual([]);
  });

  it('has an index leading with every foreign key column', async () => {
    const { rows } = await sql<{ fk: string }>`
      select con.conrelid::regclass::text || '.' || att.attname as fk
      from pg_constraint con
      join pg_attribute att on att.attrelid = con.conrelid and att.attnum = con.conkey[1]
      where con.contype = 'f'
        and not exists (
          select 1 from pg_index i where i.indrelid = con.conrelid and i.indkey[0] = con.conkey[1]
        )
    `.execute(ctx.store.db.withoutPlugins());
    expect(rows.map((r) => r.fk)).toEqual([]);
  });
});
