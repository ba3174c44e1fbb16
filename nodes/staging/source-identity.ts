/**
 * Which registered source a file or folder is. A source's name is derived from the file or folder
 * name, so `a/orders.csv` and `b/orders.csv` would both be `orders`, and staging the second would
 * silently re-point the first. A source whose name was not chosen is identified by its resolved
 * absolute path instead: the source already recorded for that path keeps its name, and a derived
 * name that another path holds gets the parent folder's name in front (`b_orders`).
 */
import { basename, dirname, resolve } from 'node:path';
import { listSources, type StoreContext } from '../../store/index.ts';
import { sanitizeName } from './names.ts';
import { parseSourceConfig, type SourceConfig } from './source-config.ts';

export interface SourceIdentity {
  /** The config, renamed when its derived name belongs to another path. */
  readonly config: SourceConfig;
  /** Why the name differs from the derived one, for people; unset when it doesn't. */
  readonly note?: string;
}

/** The absolute path a stored or new config reads, when it reads one path (not a glob or a server). */
function pathOf(config: { readonly path?: unknown; readonly file_pattern?: unknown }): string | undefined {
  return typeof config.path === 'string' && config.file_pattern === undefined ? resolve(config.path) : undefined;
}

/**
 * The source a config with a derived name stands for, told apart by its path. Call it only when
 * nobody chose the name (`--name`, `name:`): a chosen name is the source, wherever it points.
 *
 * @example
 * ```ts
 * await identifySource(store, sourceConfigFromPath('a/orders.csv')); // { config: { name: 'orders', ... } }
 * await identifySource(store, sourceConfigFromPath('b/orders.csv'));
 * // once 'orders' is registered for a/orders.csv:
 * // { config: { name: 'b_orders', ... }, note: "Source name 'orders' is already used by /data/a/orders.csv; ..." }
 * ```
 */
export async function identifySource(store: StoreContext, config: SourceConfig): Promise<SourceIdentity> {
  const path = pathOf(config);
  if (path === undefined) return { config };
  const sources = await listSources(store);
  const same = sources.filter((s) => pathOf(s.connectionConfig) === path);
  if (same.length > 0) {
    const name = (same.find((s) => s.name === config.name) ?? same[0]).name;
    return { config: name === config.name ? config : parseSourceConfig({ ...config, name }) };
  }
  const holder = sources.find((s) => s.name === config.name);
  if (!holder) return { config };
  const taken = new Set(sources.map((s) => s.name));
  const parent = sanitizeName(basename(dirname(path)), 's');
  const base = parent ? `${parent}_${config.name}` : config.name;
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}_${n}`;
  const held = pathOf(holder.connectionConfig);
  return {
    config: parseSourceConfig({ ...config, name }),
    note: `Source name '${config.name}' is already used by ${held ?? `a ${holder.sourceType} source`}; ${path} is a different source, registered as '${name}'. Choose its name with --name (or name: in a source config).`,
  };
}
