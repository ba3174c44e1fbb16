/**
 * Test stores on both dialects. SQLite: a file in a fresh temp dir. PostgreSQL: a fresh database
 * (random name) on the server from test/setup/postgres.ts, so test files never share tables.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, inject } from 'vitest';
import { DATABASE_URL_ENV, openStore, type Store, type StoreDialect } from '../../store/index.ts';

export const DIALECTS: StoreDialect[] = ['sqlite', 'postgres'];

// DATARAUM_DATABASE_URL would turn every SQLite test store into a PostgreSQL one: tests choose
// the dialect themselves. (Each test file runs in its own process.)
delete process.env[DATABASE_URL_ENV];

export interface TestStoreTarget {
  readonly dialect: StoreDialect;
  /** Options that open this target with openStore. */
  readonly options: { url: string } | { sqlitePath: string };
  open(): Promise<Store>;
  /** Removes the database (file or PostgreSQL database). Close stores first. */
  destroy(): Promise<void>;
}

/**
 * A new database of the given dialect. PostgreSQL ones are copies of a template migrated once per
 * test file (CREATE DATABASE ... TEMPLATE is far cheaper than running every migration per test);
 * pass `{ empty: true }` for a database that has never been migrated.
 */
export async function createTarget(dialect: StoreDialect, opts: { empty?: boolean } = {}): Promise<TestStoreTarget> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'dataraum-store-'));
    const options = { sqlitePath: join(dir, 'nested', 'metadata.sqlite') };
    return {
      dialect,
      options,
      open: () => openStore(options),
      destroy: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const admin = inject('pgUrl');
  const name = randomName('test');
  const template = opts.empty ? undefined : await migratedTemplate(admin);
  await withAdmin(admin, (client) => client.query(`create database "${name}"${template ? ` template "${template}"` : ''}`));
  const options = { url: databaseUrl(admin, name) };
  return {
    dialect,
    options,
    open: () => openStore(options),
    destroy: () => dropDatabase(admin, name),
  };
}

let template: Promise<string> | undefined;

function migratedTemplate(admin: string): Promise<string> {
  template ??= (async () => {
    const name = randomName('template');
    await withAdmin(admin, (client) => client.query(`create database "${name}"`));
    const store = await openStore({ url: databaseUrl(admin, name) });
    await store.close();
    return name;
  })();
  return template;
}

// Registered in the file that imports these helpers: its template goes when its tests are done.
afterAll(async () => {
  if (template) await dropDatabase(inject('pgUrl'), await template);
});

function randomName(kind: string): string {
  return `dataraum_${kind}_${crypto.randomUUID().replaceAll('-', '').slice(0, 16)}`;
}

function databaseUrl(admin: string, name: string): string {
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
}

async function dropDatabase(admin: string, name: string): Promise<void> {
  await withAdmin(admin, (client) => client.query(`drop database if exists "${name}" with (force)`));
}

async function withAdmin<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Opens a fresh store per test: `const { ctx, setUp, tearDown } = storeLifecycle(dialect)` in a
 * describe block (setUp/tearDown as beforeEach/afterEach), then
 * `ctx.store` / `ctx.target` inside tests.
 */
export function storeLifecycle(dialect: StoreDialect, opts: { empty?: boolean } = {}) {
  const ctx = {} as { store: Store; target: TestStoreTarget; extra: Store[] };
  return {
    ctx,
    async setUp() {
      ctx.target = await createTarget(dialect, opts);
      ctx.store = await ctx.target.open();
      ctx.extra = [];
    },
    async tearDown() {
      await Promise.allSettled([ctx.store?.close(), ...(ctx.extra ?? []).map((s) => s.close())]);
      await ctx.target?.destroy();
    },
  };
}
