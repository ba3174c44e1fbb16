import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database, Store } from '../../store/index.ts';
import { seedCatalog } from './fixtures.ts';
import { DIALECTS, storeLifecycle } from './helpers.ts';

async function count(store: Store, table: keyof Database): Promise<number> {
  const row = await store.db
    .selectFrom(table as 'sources')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return row.n;
}

describe.each(DIALECTS)('constraints on %s', (dialect) => {
  const { ctx, setUp, tearDown } = storeLifecycle(dialect);
  beforeEach(setUp);
  afterEach(tearDown);

  it('runs on the dialect it was asked for', () => {
    expect(ctx.store.dialect).toBe(dialect);
  });

  it('rejects duplicates of every natural key', async () => {
    const { rows } = await seedCatalog(ctx.store);
    const db = ctx.store.db;
    const attempts: [string, () => Promise<unknown>][] = [
      ['sources.name', () => db.insertInto('sources').values({ ...rows.sources[0], sourceId: crypto.randomUUID() }).execute()],
      ['tables(source, name, layer)', () => db.insertInto('tables').values({ ...rows.tables[0], tableId: crypto.randomUUID() }).execute()],
      ['columns(table, name)', () => db.insertInto('columns').values({ ...rows.columns[0], columnId: crypto.randomUUID() }).execute()],
      ['type_decisions.column_id', () => db.insertInto('typeDecisions').values({ ...rows.typeDecisions[0], decisionId: crypto.randomUUID() }).execute()],
      ['semantic_annotations.column_id', () => db.insertInto('semanticAnnotations').values({ ...rows.semanticAnnotations[0], annotationId: crypto.randomUUID() }).execute()],
      ['temporal_profiles.column_id', () => db.insertInto('temporalProfiles').values({ ...rows.temporalProfiles[0], temporalId: crypto.randomUUID() }).execute()],
      ['relationships(from, to)', () => db.insertInto('relationships').values({ ...rows.relationships[0], relationshipId: crypto.randomUUID() }).execute()],
      ['ontologies.name', () => db.insertInto('ontologies').values({ ...rows.ontologies[0], ontologyId: crypto.randomUUID() }).execute()],
      ['llm_cache.cache_key', () => db.insertInto('llmCache').values({ ...rows.llmCache[0], cacheId: crypto.randomUUID() }).execute()],
    ];
    for (const [what, attempt] of attempts) {
      await expect(attempt(), what).rejects.toMatchObject({ code: expect.stringMatching(/^(23505|SQLITE_CONSTRAINT_(UNIQUE|PRIMARYKEY))$/) });
    }
    // The same table name in another layer is a different table.
    await db.insertInto('tables').values({ ...rows.tables[0], tableId: crypto.randomUUID(), layer: 'quarantine' }).execute();
    expect(await count(ctx.store, 'tables')).toBe(3);
    // Enumerations and foreign keys are enforced too.
    await expect(db.insertInto('tables').values({ ...rows.tables[0], tableId: crypto.randomUUID(), layer: 'bogus' as 'raw' }).execute()).rejects.toMatchObject({
      code: expect.stringMatching(/^(23514|SQLITE_CONSTRAINT_CHECK)$/),
    });
    await expect(db.insertInto('columns').values({ ...rows.columns[0], columnId: crypto.randomUUID(), tableId: crypto.randomUUID() }).execute()).rejects.toMatchObject({
      code: expect.stringMatching(/^(23503|SQLITE_CONSTRAINT_FOREIGNKEY)$/),
    });
  });

  it('deleting a table removes everything that describes it, and nothing else', async () => {
    const { ids } = await seedCatalog(ctx.store);
    await ctx.store.db.deleteFrom('tables').where('tableId', '=', ids.flights).execute();
    expect(await count(ctx.store, 'tables')).toBe(1);
    expect((await ctx.store.db.selectFrom('columns').select('columnName').orderBy('columnName').execute()).map((c) => c.columnName)).toEqual(['iata', 'name']);
    // The profile of airports.iata stays; the two of flights.delay go.
    expect(await count(ctx.store, 'columnProfiles')).toBe(1);
    for (const table of ['typeCandidates', 'typeDecisions', 'semanticAnnotations', 'temporalProfiles', 'tableEntities', 'relationships', 'joinPaths', 'ontologyApplications', 'qualityRules', 'qualityResults', 'qualityScores'] as const) {
      expect(await count(ctx.store, table), table).toBe(0);
    }
    expect(await count(ctx.store, 'ontologies')).toBe(1);
    expect(await count(ctx.store, 'sources')).toBe(1);
  });

  it('deleting a source removes its tables but keeps run history and checkpoints', async () => {
    const { ids } = await seedCatalog(ctx.store);
    const runId = crypto.randomUUID();
    const checkpointId = crypto.randomUUID();
    await ctx.store.db.insertInto('runs').values({ runId, dataflowName: 'ingest', sourceId: ids.sourceId, status: 'completed' }).execute();
    await ctx.store.db.insertInto('checkpoints').values({ checkpointId, dataflowName: 'ingest', sourceId: ids.sourceId, status: 'completed', checkpointType: 't' }).execute();
    await ctx.store.db.insertInto('reviewQueue').values({ reviewId: crypto.randomUUID(), checkpointId, reviewType: 't', itemId: 'a', position: 0 }).execute();
    await ctx.store.db.deleteFrom('sources').where('sourceId', '=', ids.sourceId).execute();
    expect(await count(ctx.store, 'tables')).toBe(0);
    expect(await count(ctx.store, 'columns')).toBe(0);
    expect(await count(ctx.store, 'llmCache')).toBe(0);
    expect(await ctx.store.db.selectFrom('runs').select(['runId', 'sourceId']).execute()).toEqual([{ runId, sourceId: null }]);
    expect(await count(ctx.store, 'reviewQueue')).toBe(1);
    // Review items go with their checkpoint.
    await ctx.store.db.deleteFrom('checkpoints').execute();
    expect(await count(ctx.store, 'reviewQueue')).toBe(0);
  });
});

describe.each(DIALECTS)('views on %s', (dialect) => {
  const { ctx, setUp, tearDown } = storeLifecycle(dialect);
  beforeEach(setUp);
  afterEach(tearDown);

  it('v_latest_profiles has the newest profile of each profiled column', async () => {
    const { rows } = await seedCatalog(ctx.store);
    const latest = await ctx.store.db.selectFrom('vLatestProfiles').selectAll().orderBy('profiledAt').execute();
    expect(latest).toEqual([rows.columnProfiles[2], rows.columnProfiles[1]]);
  });

  it('v_column_metadata joins column, table, source, latest profile, decision and annotation', async () => {
    const { ids, rows } = await seedCatalog(ctx.store);
    const all = await ctx.store.db.selectFrom('vColumnMetadata').selectAll().orderBy('tableName').orderBy('columnPosition').execute();
    expect(all.map((r) => `${r.tableName}.${r.columnName}`)).toEqual(['airports.iata', 'airports.name', 'flights.origin', 'flights.delay', 'flights.date']);
    const delay = all.find((r) => r.columnId === ids.delay)!;
    const latest = rows.columnProfiles[1];
    expect(delay).toEqual({
      columnId: ids.delay, columnName: 'delay', originalName: 'delay', columnPosition: 1, rawType: 'VARCHAR', resolvedType: 'INTEGER',
      tableId: ids.flights, tableName: 'flights', layer: 'typed', rowCount: 2 ** 40,
      sourceId: ids.sourceId, sourceName: 'vega', sourceType: 'csv',
      profileId: latest.profileId, profiledAt: latest.profiledAt, totalCount: latest.totalCount, nullCount: 7, distinctCount: 41,
      nullRatio: 0.07, cardinalityRatio: 1e-9, minValue: '-6', maxValue: '301', meanValue: -0.125, topValues: [],
      decidedType: 'INTEGER', decisionSource: 'auto', decidedAt: rows.typeDecisions[0].decidedAt,
      semanticRole: 'measure', entityType: null, businessName: 'Departure delay', businessDescription: 'Minutes late',
      businessDomain: 'aviation', ontologyTerm: 'delay', semanticConfidence: 0.8,
    });
    // A column with nothing learned about it yet is still listed, with NULLs.
    const name = all.find((r) => r.columnId === ids.name)!;
    expect([name.profileId, name.decidedType, name.semanticRole, name.topValues]).toEqual([null, null, null, null]);
  });

  it('v_relationship_graph names both ends', async () => {
    const { ids, rows } = await seedCatalog(ctx.store);
    expect(await ctx.store.db.selectFrom('vRelationshipGraph').selectAll().execute()).toEqual([
      {
        relationshipId: rows.relationships[0].relationshipId, relationshipType: 'foreign_key', cardinality: 'many_to_one',
        confidence: 0.98, detectionMethod: 'inclusion', isConfirmed: false,
        fromTableId: ids.flights, fromTableName: 'flights', fromColumnId: ids.origin, fromColumnName: 'origin',
        toTableId: ids.airports, toTableName: 'airports', toColumnId: ids.iata, toColumnName: 'iata',
      },
    ]);
  });
});
