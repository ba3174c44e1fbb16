/**
 * Test stores on both dialects. SQLite: a file in a fresh temp dir. PostgreSQL: a fresh database
 * (random name) on the server from test/setup/postgres.ts, so test files never share tables.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { openStore, type Store, type StoreDialect } from '../../store/index.ts';

export const DIALECTS: StoreDialect[] = ['sqlite', 'postgres'];

export interface TestStoreTarget {
  readonly dialect: StoreDialect;
  /** Options that open this target with openStore. */
  readonly options: { url: string } | { sqlitePath: string };
  open(): Promise<Store>;
  /** Removes the database (file or PostgreSQL database). Close stores first. */
  destroy(): Promise<void>;
}

/** A new, empty database of the given dialect. */
export async function createTarget(dialect: StoreDialect): Promise<TestStoreTarget> {
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
  const name = `dataraum_test_${crypto.randomUUID().replaceAll('-', '').slice(0, 16)}`;
  await withAdmin(admin, (client) => client.query(`create database "${name}"`));
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const options = { url: url.toString() };
  return {
    dialect,
    options,
    open: () => openStore(options),
    destroy: () => withAdmin(admin, (client) => client.query(`drop database if exists "${name}" with (force)`)).then(() => {}),
  };
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
export function storeLifecycle(dialect: StoreDialect) {
  const ctx = {} as { store: Store; target: TestStoreTarget; extra: Store[] };
  return {
    ctx,
    async setUp() {
      ctx.target = await createTarget(dialect);
      ctx.store = await ctx.target.open();
      ctx.extra = [];
    },
    async tearDown() {
      await Promise.allSettled([ctx.store?.close(), ...(ctx.extra ?? []).map((s) => s.close())]);
      await ctx.target?.destroy();
    },
  };
}
