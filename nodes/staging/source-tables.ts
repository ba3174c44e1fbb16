/**
 * A source's table names among the other sources of the metadata store. DuckDB table names
 * (`raw_`, `typed_`, `quarantine_<table>`) are shared by every source of one database, so a source
 * must not take a name another source's tables carry, and the tables it no longer has must go.
 */
import type { StoreContext } from '../../store/index.ts';
import type { DuckDBConnection } from '../duckdb.ts';
import { rawTableName, rejectsTableName, relationKinds, withTableSwap } from './loaders/raw-table.ts';
import { NameAllocator, sanitizeName } from './names.ts';

export interface SourceTables {
  /** Table name -> the other source whose tables carry it. */
  readonly others: ReadonlyMap<string, string>;
  /** Names this source's tables had before this staging (any layer). */
  readonly previous: ReadonlySet<string>;
  /**
   * This source's earlier tables by the name their file or source table had (`orders.json`), where
   * that name was one table's alone: the same file keeps its table name, whatever joins the folder.
   */
  readonly held: ReadonlyMap<string, string>;
}

/** What staging knows without a metadata store: nothing taken, nothing before. */
export const NO_SOURCE_TABLES: SourceTables = Object.freeze({ others: new Map<string, string>(), previous: new Set<string>(), held: new Map<string, string>() });

/**
 * The table names the store records for `sourceName` and for every other source.
 *
 * @example
 * ```ts
 * const known = await sourceTables(store, 'shop');
 * known.others.get('orders'); // 'data': the folder source `data` has an `orders` table
 * ```
 */
export async function sourceTables(store: StoreContext, sourceName: string): Promise<SourceTables> {
  const rows = await store.db.selectFrom('tables').innerJoin('sources', 'sources.sourceId', 'tables.sourceId')
    .select(['tables.tableName as tableName', 'tables.originalName as originalName', 'sources.name as sourceName']).execute();
  const others = new Map<string, string>();
  const previous = new Set<string>();
  const byOriginal = new Map<string, Set<string>>();
  for (const r of rows) {
    if (r.sourceName === sourceName) {
      previous.add(r.tableName);
      if (r.originalName === null) continue;
      const names = byOriginal.get(r.originalName) ?? new Set<string>();
      byOriginal.set(r.originalName, names.add(r.tableName)); // one row per layer: a set
    } else if (!others.has(r.tableName)) others.set(r.tableName, r.sourceName);
  }
  // Two tables from one original name (a/orders.csv and b/orders.csv) say nothing about which is which.
  const held = new Map([...byOriginal].flatMap(([original, names]) => (names.size === 1 ? [[original, [...names][0]] as const] : [])));
  return { others, previous, held };
}

/** Every DuckDB relation a staged table may have. */
export function layerTableNames(name: string): string[] {
  return [rawTableName(name), rejectsTableName(name), `typed_${name}`, `quarantine_${name}`];
}

/**
 * Hands out unique table names for `sourceName` (see NameAllocator) that no other source's tables
 * carry: a taken name gets the source's name in front (`orders` -> `shop_orders`), and `warn` says so.
 * A table keeps the name it had before when `identity` (its file's or source table's own name)
 * held one alone, and a new one does not take that name: adding `orders.csv` beside `orders.json`
 * leaves `orders` (with its remembered type decisions) to the JSON file.
 *
 * @example
 * ```ts
 * const claim = tableNameClaimer('shop', { others: new Map([['orders', 'data']]), previous: new Set(), held: new Map() }, console.warn);
 * claim('orders');    // 'shop_orders' (and a warning naming source 'data')
 * claim('customers'); // 'customers'
 * ```
 */
export function tableNameClaimer(sourceName: string, known: SourceTables, warn: (message: string) => void): (original: string, identity?: string) => string {
  const names = new NameAllocator();
  const holder = new Map([...known.held].map(([identity, name]) => [name, identity]));
  const warnTaken = (wanted: string, owner: string, original: string, name: string) => warn(
    `Table name '${wanted}' belongs to source '${owner}', so '${original}' of source '${sourceName}' is staged as '${name}' ` +
      `(${rawTableName(name)}, typed_${name}, quarantine_${name}); the tables of '${owner}' are left as they are. ` +
      `The prefix is the source's name: choose it with \`dataraum run --name <name>\` or \`name:\` in a source config.`,
  );
  return (original, identity = original) => {
    const kept = known.held.get(identity);
    if (kept !== undefined && !known.others.has(kept) && names.take(kept)) {
      const plain = sanitizeName(original, 't');
      const owner = plain !== kept ? known.others.get(plain) : undefined;
      if (owner !== undefined) warnTaken(plain, owner, original, kept);
      return kept;
    }
    const wanted = names.claim(original, (name) => holder.has(name) && holder.get(name) !== identity);
    const owner = known.others.get(wanted);
    if (owner === undefined) return wanted;
    // A source named after its file (`b_orders` for b/orders.csv) already says which table it is.
    let name = names.claim(sourceName.endsWith(`_${wanted}`) ? sourceName : `${sourceName}_${wanted}`);
    while (known.others.has(name)) name = names.claim(name);
    warnTaken(wanted, owner, original, name);
    return name;
  };
}

/**
 * Drops the DuckDB tables of the tables `sourceName` had and no longer has (a file left its
 * folder, a table its database), in one transaction, and says so. A name another source's tables
 * carry is left alone. Their metadata goes when the catalog is recorded (stagedCatalog).
 */
export async function dropGoneTables(duckdb: DuckDBConnection, sourceName: string, known: SourceTables, staged: readonly string[], warn: (message: string) => void): Promise<void> {
  const keep = new Set(staged);
  const gone = [...known.previous].filter((n) => !keep.has(n)).sort();
  if (gone.length === 0) return;
  const candidates = gone.filter((n) => !known.others.has(n)).flatMap(layerTableNames);
  const existing = new Set((await relationKinds(duckdb, candidates)).keys());
  if (existing.size > 0) {
    await withTableSwap(duckdb, async (swap) => {
      for (const t of existing) swap.dropOnCommit(t);
    });
  }
  for (const name of gone) {
    const owner = known.others.get(name);
    if (owner !== undefined) {
      warn(`Table '${name}' is no longer in source '${sourceName}': its metadata for this source was removed; its DuckDB tables belong to source '${owner}' and were kept.`);
      continue;
    }
    const dropped = layerTableNames(name).filter((t) => existing.has(t));
    const what = dropped.length ? `${dropped.join(', ')} and its metadata` : 'its metadata (it had no DuckDB tables)';
    warn(`Table '${name}' is no longer in source '${sourceName}' (its file or source table is gone): dropped ${what}.`);
  }
}
