/**
 * What every command that touches runs needs: the metadata store, the DuckDB file, the persistent
 * cache and a driver for a dataflow wired to all three. Embedded defaults live under `.dataraum/`;
 * `DATARAUM_DATABASE_URL=postgres://...` moves the metadata to PostgreSQL.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Builder, DataraumError, FileCacheStore, PersistentCache, type Driver, type Hook, type TypedManifest } from '../engine/index.ts';
import { CacheIndexMirror, DATABASE_URL_ENV, DurableCheckpointStore, openStore, reapOrphanedRuns, type Store } from '../store/index.ts';

export interface RuntimeOptions {
  /** Folder for the embedded defaults (default `.dataraum`). */
  readonly home?: string;
  /** Metadata database URL (default: env DATARAUM_DATABASE_URL, else SQLite under `home`). */
  readonly databaseUrl?: string;
  /** Project root holding `dataflows/` (default: the package root). */
  readonly root?: string;
}

export interface Runtime {
  readonly home: string;
  readonly root: string;
  readonly store: Store;
  /** DuckDB database file for raw_/typed_/quarantine_ tables. */
  readonly duckdbPath: string;
  readonly cacheStore: FileCacheStore;
  readonly checkpoints: DurableCheckpointStore;
  /** A driver for dataflow `name`, with the durable checkpoint store and the persistent cache. */
  driver(name: string, opts?: { config?: Record<string, unknown>; hooks?: Hook[]; cache?: boolean }): Promise<Driver>;
  /**
   * Inputs every dataflow run gets from the runtime: resources that can't be saved in a
   * checkpoint, so `run` and `resume` both pass them.
   */
  inputs(): Record<string, unknown>;
  close(): Promise<void>;
}

/** The package root: dataflows/ live beside cli/. */
export const PACKAGE_ROOT = resolve(new URL('..', import.meta.url).pathname);

/** The home folder, absolute: `home` when given, else $DATARAUM_HOME, else `.dataraum` in the working directory. */
export function resolveHome(home?: string, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(home ?? env.DATARAUM_HOME ?? '.dataraum');
}

/**
 * Why `home` holds nothing a command that reads it could read, or undefined when it does: no
 * metadata.sqlite in it (with `folderOnly`, for commands that read its files: no such folder;
 * with DATARAUM_DATABASE_URL the store is elsewhere and only `folderOnly` checks anything). Checked before
 * `openRuntime`, which would create the store, its folder and the cache.
 *
 * @example
 * ```ts
 * missingHome('/tmp/nowhere'); // "no dataraum home at /tmp/nowhere: run `dataraum run <file>` first, or pass --home"
 * ```
 */
export function missingHome(home: string, opts: { folderOnly?: boolean; env?: NodeJS.ProcessEnv } = {}): string | undefined {
  const env = opts.env ?? process.env;
  // A PostgreSQL store is elsewhere: commands that read only it need nothing local.
  if (env[DATABASE_URL_ENV] && !opts.folderOnly) return undefined;
  const there = opts.folderOnly ? existsSync(home) : existsSync(join(home, 'metadata.sqlite'));
  return there ? undefined : `no dataraum home at ${home}: run \`dataraum run <file>\` first, or pass --home`;
}

export async function openRuntime(opts: RuntimeOptions = {}): Promise<Runtime> {
  const home = resolveHome(opts.home);
  const root = resolve(opts.root ?? PACKAGE_ROOT);
  const store = await openStore({ url: opts.databaseUrl, sqlitePath: join(home, 'metadata.sqlite') });
  // Runs left `running` by a process of this host that has died (killed, crashed, a server that
  // restarted) are marked failed, so `runs`, `status` and the HTTP API don't show them as going on.
  await reapOrphanedRuns(store);
  const cacheStore = new FileCacheStore(join(home, 'cache'));
  const checkpoints = new DurableCheckpointStore(store);
  return {
    home, root, store, cacheStore, checkpoints,
    duckdbPath: join(home, 'data.duckdb'),
    async driver(name, o = {}) {
      const manifest = await loadDataflow(name, root);
      let b = Builder().withDataflow(manifest).withCheckpointStore(checkpoints);
      if (o.config) b = b.withConfig(typedConfigValues(manifest, o.config));
      if (o.hooks?.length) b = b.withHooks(...o.hooks);
      // Values live on disk; the cache index is mirrored into the metadata store for SQL and reset.
      if (o.cache !== false) b = b.withCache(new PersistentCache({ store: new CacheIndexMirror(cacheStore, store) }));
      return b.build();
    },
    inputs() {
      return { store, duckdbPath: join(home, 'data.duckdb'), dataraumHome: home };
    },
    async close() {
      cacheStore.flush();
      await store.close();
    },
  };
}

/**
 * Config values given as text (`--config decisionThreshold=0.9`, a checkpoint's saved config) read
 * as the type the manifest declares for the input of that name: a `number` or `boolean` input gets
 * a number or boolean, so nodes never see `'0.9'`. Other values, and text that does not read as
 * the declared type, pass unchanged (the node's own check then names the bad value).
 */
export function typedConfigValues(manifest: TypedManifest, config: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const types = new Map(manifest.manifest.nodes.filter((n) => n.kind === 'input').map((n) => [n.name, n.type.replace(/\s*\|\s*undefined/g, '').trim()]));
  return Object.fromEntries(Object.entries(config).map(([key, value]) => {
    if (typeof value !== 'string') return [key, value];
    const type = types.get(key);
    if (type === 'number' && value.trim() !== '' && Number.isFinite(Number(value))) return [key, Number(value)];
    if (type === 'boolean' && (value === 'true' || value === 'false')) return [key, value === 'true'];
    return [key, value];
  }));
}

/** Names of the dataflows that have a generated manifest. */
export function listDataflows(root: string = PACKAGE_ROOT): string[] {
  const dir = join(root, 'dataflows');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((d) => existsSync(join(dir, d, 'manifest.generated.ts'))).sort();
}

/** Imports `dataflows/<name>/manifest.generated.ts`. */
export async function loadDataflow(name: string, root: string = PACKAGE_ROOT): Promise<TypedManifest> {
  const file = join(root, 'dataflows', name, 'manifest.generated.ts');
  if (!/^[\w-]+$/.test(name) || !existsSync(file)) {
    const known = listDataflows(root);
    throw new DataraumError('UNKNOWN_NODE', `Unknown dataflow '${name}'${known.length ? `; available: ${known.join(', ')}` : ''} (run \`dataraum build\` if its manifest is missing)`);
  }
  return (await import(pathToFileURL(file).href)).default as TypedManifest;
}
