import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Migrator, NO_MIGRATIONS, sql, type Kysely } from 'kysely';
import { migrationProvider } from '../../store/migrations/index.ts';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { DATABASE_URL_ENV, listSources, migrateToLatest, openStore, StoreError, upsertSource } from '../../store/index.ts';
import { createTarget, DIALECTS, storeLifecycle } from './helpers.ts';
import { migrations } from '../../store/migrations/index.ts';

const MIGRATION_NAMES = Object.keys(migrations('sqlite')).sort();

const TABLES = [
  'cache_entries', 'checkpoints', 'column_profiles', 'columns', 'join_paths', 'llm_cache',
  'node_executions', 'ontologies', 'ontology_applications', 'quality_results', 'quality_rules',
  'quality_scores', 'relationships', 'review_queue', 'runs', 'semantic_annotations', 'sources',
  'table_entities', 'tables', 'temporal_profiles', 'type_candidates', 'type_decisions', 'type_resolutions',
];
const VIEWS = ['v_column_metadata', 'v_latest_profiles', 'v_relationship_graph'];

describe.each(DIALECTS)('migrations on %s', (dialect) => {
  // Never-migrated databases: what these tests check is what the migrations do from scratch.
  const { ctx, setUp, tearDown } = storeLifecycle(dialect, { empty: true });
  beforeEach(setUp);
  afterEach(tearDown);

  it('creates every table and view', async () => {
    const found = await ctx.store.db.withoutPlugins().introspection.getTables();
    expect(found.filter((t) => !t.isView).map((t) => t.name).sort()).toEqual(TABLES);
    expect(found.filter((t) => t.isView).map((t) => t.name).sort()).toEqual(VIEWS);
  });

  it('is a no-op when run again, and keeps the data of an existing store', async () => {
    const source = await upsertSource(ctx.store, 'kept', 'csv', { path: 'a.csv' });
    const applied = async () =>
      (await sql<{ name: string }>`select name from kysely_migration order by name`.execute(ctx.store.db.withoutPlugins())).rows;
    const before = await applied();
    expect(before.length).toBeGreaterThanOrEqual(6);

    await migrateToLatest(ctx.store.db, dialect, 'test');
    await ctx.store.close();
    ctx.store = await ctx.target.open();

    expect(await applied()).toEqual(before);
    expect(await ctx.store.db.selectFrom('sources').selectAll().execute()).toEqual([source]);
  });

  it('migrates all the way down and up again', async () => {
    const migrator = new Migrator({ db: ctx.store.db.withoutPlugins(), provider: migrationProvider(dialect) });
    const down = await migrator.migrateTo(NO_MIGRATIONS);
    expect(down.error).toBeUndefined();
    expect(down.results?.map((r) => r.migrationName)).toEqual([...MIGRATION_NAMES].reverse());
    expect(await ctx.store.db.withoutPlugins().introspection.getTables()).toEqual([]);
    await migrateToLatest(ctx.store.db, dialect, 'test');
    expect(await ctx.store.db.withoutPlugins().introspection.getTables()).toHaveLength(TABLES.length + VIEWS.length);
  });

  it('lets checkpoints end superseded (0011), keeping the review tables\' rows, keys and cascade', async () => {
    // The tables as the migrations see them: snake_case, untyped.
    const plain = ctx.store.db.withoutPlugins() as unknown as Kysely<any>;
    const migrator = new Migrator({ db: plain, provider: migrationProvider(dialect) });
    expect((await migrator.migrateTo('0010-type-resolutions')).error).toBeUndefined();
    const source = await upsertSource(ctx.store, 'orders', 'csv', {});
    const ids = [crypto.randomUUID(), crypto.randomUUID()];
    for (const [i, id] of ids.entries()) {
      await plain.insertInto('checkpoints').values({ checkpoint_id: id, dataflow_name: 'ingest', source_id: source.sourceId, status: 'pending_review', checkpoint_type: 'type_review', checkpoint_state: JSON.stringify({ runId: `r${i}` }) }).execute();
      await plain.insertInto('review_queue').values({ review_id: crypto.randomUUID(), checkpoint_id: id, review_type: 'type_review', item_id: 'orders.dt', position: 0, status: i ? 'approved' : 'pending' }).execute();
    }
    const superseded = plain.updateTable('checkpoints').set({ status: 'superseded' }).where('checkpoint_id', '=', ids[0]);
    await expect(superseded.execute()).rejects.toThrow(/check/i);

    await migrateToLatest(ctx.store.db, dialect, 'test');
    await superseded.execute();
    const rows = async () => (await plain.selectFrom('review_queue as r').innerJoin('checkpoints as c', 'c.checkpoint_id', 'r.checkpoint_id')
      .select(['c.checkpoint_id', 'c.status as cp', 'r.status', 'c.source_id']).orderBy('c.status').execute());
    expect(await rows()).toEqual([
      { checkpoint_id: ids[1], cp: 'pending_review', status: 'approved', source_id: source.sourceId },
      { checkpoint_id: ids[0], cp: 'superseded', status: 'pending', source_id: source.sourceId },
    ]);
    await expect(plain.updateTable('checkpoints').set({ status: 'lost' }).where('checkpoint_id', '=', ids[1]).execute()).rejects.toThrow(/check/i);
    await expect(plain.insertInto('review_queue').values({ review_id: crypto.randomUUID(), checkpoint_id: crypto.randomUUID(), review_type: 't', item_id: 'x', position: 0 }).execute()).rejects.toThrow(/foreign key/i);
    await expect(plain.insertInto('review_queue').values({ review_id: crypto.randomUUID(), checkpoint_id: ids[1], review_type: 't', item_id: 'orders.dt', position: 1 }).execute()).rejects.toThrow(/unique|duplicate/i);

    // Down again: a superseded checkpoint becomes failed, which 0004 allows.
    expect((await migrator.migrateTo('0010-type-resolutions')).error).toBeUndefined();
    expect((await rows()).map((r: { cp: string }) => r.cp)).toEqual(['failed', 'pending_review']);
    await migrateToLatest(ctx.store.db, dialect, 'test');
    await plain.deleteFrom('checkpoints').where('checkpoint_id', '=', ids[1]).execute();
    expect((await rows()).map((r: { checkpoint_id: string }) => r.checkpoint_id)).toEqual([ids[0]]); // its review item went with it
  });

  it('lets several stores open one database at once', async () => {
    // A fresh database: all of them race to create the schema.
    await ctx.store.close();
    await ctx.target.destroy();
    ctx.target = await createTarget(dialect, { empty: true });
    const stores = dialect === 'postgres'
      ? await Promise.all([1, 2, 3, 4].map(() => ctx.target.open()))
      : [await ctx.target.open(), await ctx.target.open()];
    ctx.store = stores[0];
    ctx.extra = stores.slice(1);
    const names = await Promise.all(stores.map(async (s, i) => (await upsertSource(s, `s${i}`, 'csv', {})).name));
    expect(names).toEqual(stores.map((_, i) => `s${i}`));
    const { rows } = await sql<{ n: number }>`select count(*) as n from kysely_migration`.execute(ctx.store.db);
    expect(rows[0].n).toBe(MIGRATION_NAMES.length);
  });
});

describe('SQLite specifics', () => {
  const { ctx, setUp, tearDown } = storeLifecycle('sqlite');
  beforeEach(setUp);
  afterEach(tearDown);

  it('uses WAL, enforces foreign keys and waits on locks', async () => {
    const pragma = async (name: string) => Object.values((await sql.raw(`pragma ${name}`).execute(ctx.store.db)).rows[0] as object)[0];
    expect(await pragma('journal_mode')).toBe('wal');
    expect(await pragma('foreign_keys')).toBe(1);
    expect(await pragma('busy_timeout')).toBeGreaterThanOrEqual(5000);
  });

  it('refuses a file that is not a SQLite database, saying so', async () => {
    const path = (ctx.target.options as { sqlitePath: string }).sqlitePath.replace(/metadata\.sqlite$/, 'not-a-db.sqlite');
    writeFileSync(path, 'this is a CSV file,\n'.repeat(100));
    const error = await openStore({ sqlitePath: path }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe('OPEN_FAILED');
    expect((error as StoreError).message).toContain(path);
    expect(readFileSync(path, 'utf8')).toMatch(/^this is a CSV file/);
  });

  it('lets two processes create one fresh store at once', async () => {
    await ctx.store.close();
    await ctx.target.destroy();
    ctx.target = await createTarget('sqlite');
    const path = (ctx.target.options as { sqlitePath: string }).sqlitePath;
    const child = fileURLToPath(new URL('./open-store-child.ts', import.meta.url));
    const cwd = fileURLToPath(new URL('../..', import.meta.url));
    const run = promisify(execFile);
    await Promise.all(['first', 'second'].map((name) => run(process.execPath, ['--import', 'tsx', child, path, name], { cwd })));
    ctx.store = await ctx.target.open();
    expect((await listSources(ctx.store)).map((s) => s.name)).toEqual(['first', 'second']);
    const { rows } = await sql<{ n: number }>`select count(*) as n from kysely_migration`.execute(ctx.store.db);
    expect(rows[0].n).toBe(MIGRATION_NAMES.length);
  });
});

describe('openStore target selection', () => {
  it('uses DATARAUM_DATABASE_URL over sqlitePath, and the url option over both', async () => {
    const target = await createTarget('postgres');
    try {
      process.env[DATABASE_URL_ENV] = (target.options as { url: string }).url;
      const fromEnv = await openStore({ sqlitePath: ':memory:' });
      expect(fromEnv.dialect).toBe('postgres');
      await fromEnv.close();
      process.env[DATABASE_URL_ENV] = 'postgres://nobody@127.0.0.1:1/never';
      const fromOption = await openStore({ url: (target.options as { url: string }).url });
      expect(fromOption.dialect).toBe('postgres');
      await fromOption.close();
    } finally {
      delete process.env[DATABASE_URL_ENV];
      await target.destroy();
    }
  });

  it('rejects a URL that is not PostgreSQL, saying what to use', async () => {
    const error = await openStore({ url: 'mysql://localhost/x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe('INVALID_URL');
    expect((error as StoreError).message).toMatch(/postgres:\/\/user:password@host/);
  });

  it('reports an unreachable PostgreSQL server naming the place, without the password', async () => {
    const error = await openStore({ url: 'postgres://u:secret@127.0.0.1:1/none' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe('OPEN_FAILED');
    expect((error as StoreError).message).toContain('127.0.0.1:1/none');
    expect((error as StoreError).message).not.toContain('secret');
    expect((error as StoreError).message).toMatch(/Check DATARAUM_DATABASE_URL/);
  });

  it('reports a missing PostgreSQL database as a connection problem', async () => {
    const url = new URL(inject('pgUrl'));
    url.pathname = '/no_such_database';
    const error = await openStore({ url: url.toString() }).catch((e: unknown) => e);
    expect((error as StoreError).code).toBe('OPEN_FAILED');
    expect((error as StoreError).message).toMatch(/database "no_such_database" does not exist/);
  });

  it('opens an in-memory SQLite store', async () => {
    const store = await openStore({ sqlitePath: ':memory:' });
    expect(store.dialect).toBe('sqlite');
    await upsertSource(store, 'm', 'csv', {});
    expect((await store.db.selectFrom('sources').select('name').execute()).map((r) => r.name)).toEqual(['m']);
    await store.close();
  });
});
