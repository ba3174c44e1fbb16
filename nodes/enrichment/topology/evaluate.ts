/**
 * Scoring detected foreign keys against declared ones: precision and recall over column-level
 * links, composite keys compared as sets of (child column, parent column) pairs; and reading the
 * declared ones from a DuckDB database or a SQLite file.
 */
import Database from 'better-sqlite3';
import { queryRows, type DuckDBConnection } from '../../duckdb.ts';

/** A foreign key by names only: what a database declares or what detection found. */
export interface ForeignKeyRef {
  readonly fromTable: string;
  readonly fromColumns: readonly string[];
  readonly toTable: string;
  readonly toColumns: readonly string[];
}

export interface Evaluation {
  /** Found that are declared / found; 1 when nothing was found. */
  readonly precision: number;
  /** Declared that were found / declared; 1 when nothing is declared. */
  readonly recall: number;
  readonly truePositives: readonly string[];
  readonly falsePositives: readonly string[];
  readonly falseNegatives: readonly string[];
}

/** `orders(customer_id)->customers(id)`, with composite column pairs in a canonical order. */
export function _foreignKeyId(fk: ForeignKeyRef): string {
  const pairs = fk.fromColumns.map((c, i) => [c, fk.toColumns[i]] as const).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return `${fk.fromTable}(${pairs.map((p) => p[0]).join(',')})->${fk.toTable}(${pairs.map((p) => p[1]).join(',')})`;
}

/**
 * Precision and recall of `found` against `expected` (exact match of tables and column pairs).
 *
 * @example
 * ```ts
 * const e = _evaluate(
 *   [{ fromTable: 'orders', fromColumns: ['customer_id'], toTable: 'customers', toColumns: ['id'] }],
 *   result.relationships,
 * );
 * console.log(e.precision, e.recall, e.falsePositives);
 * ```
 */
export function _evaluate(expected: readonly ForeignKeyRef[], found: readonly ForeignKeyRef[]): Evaluation {
  const want = new Set(expected.map(_foreignKeyId));
  const got = new Set(found.map(_foreignKeyId));
  const truePositives = [...got].filter((k) => want.has(k)).sort();
  const falsePositives = [...got].filter((k) => !want.has(k)).sort();
  const falseNegatives = [...want].filter((k) => !got.has(k)).sort();
  return {
    precision: got.size ? truePositives.length / got.size : 1,
    recall: want.size ? truePositives.length / want.size : 1,
    truePositives, falsePositives, falseNegatives,
  };
}

/** Maps a declared table/column name to the name detection sees (e.g. staging's sanitized names). */
export type NameMapper = (table: string, column?: string) => string;
const asIs: NameMapper = (table, column) => column ?? table;

/**
 * The foreign keys declared in a DuckDB database (`duckdb_constraints()`), e.g. to score detection
 * on a database loaded with its constraints.
 *
 * @example
 * ```ts
 * const declared = await _duckdbForeignKeys(duckdb, (t, c) => c ?? t.replace(/^typed_/, ''));
 * console.log(_evaluate(declared, (await relationships(typedSource, duckdb)).relationships));
 * ```
 */
export async function _duckdbForeignKeys(duckdb: DuckDBConnection, rename: NameMapper = asIs): Promise<ForeignKeyRef[]> {
  const rows = await queryRows<{ table_name: string; constraint_column_names: string[]; referenced_table: string; referenced_column_names: string[] }>(duckdb,
    `SELECT table_name, constraint_column_names, referenced_table, referenced_column_names FROM duckdb_constraints() WHERE constraint_type = 'FOREIGN KEY'`);
  return rows.map((r) => ({
    fromTable: rename(r.table_name), fromColumns: r.constraint_column_names.map((c) => rename(r.table_name, c)),
    toTable: rename(r.referenced_table), toColumns: r.referenced_column_names.map((c) => rename(r.referenced_table, c)),
  }));
}

/**
 * The foreign keys declared in a SQLite file (`PRAGMA foreign_key_list`), e.g. Chinook or Sakila
 * for SQLite. A reference without columns (to the parent's primary key) is resolved to that key.
 *
 * @example
 * ```ts
 * const declared = _sqliteForeignKeys('chinook.db', (t, c) => sanitizeName(c ?? t));
 * ```
 */
export function _sqliteForeignKeys(path: string, rename: NameMapper = asIs): ForeignKeyRef[] {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all() as { name: string }[];
    const out: ForeignKeyRef[] = [];
    for (const { name } of tables) {
      const fks = db.prepare('SELECT id, seq, "table" AS parent, "from" AS child_col, "to" AS parent_col FROM pragma_foreign_key_list(?) ORDER BY id, seq')
        .all(name) as { id: number; seq: number; parent: string; child_col: string; parent_col: string | null }[];
      const byId = new Map<number, typeof fks>();
      for (const fk of fks) byId.set(fk.id, [...(byId.get(fk.id) ?? []), fk]);
      for (const group of byId.values()) {
        const parent = group[0].parent;
        let toColumns = group.map((g) => g.parent_col);
        if (toColumns.some((c) => c === null)) {
          const pk = (db.prepare('SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk').all(parent) as { name: string }[]).map((r) => r.name);
          toColumns = pk;
        }
        out.push({
          fromTable: rename(name), fromColumns: group.map((g) => rename(name, g.child_col)),
          toTable: rename(parent), toColumns: (toColumns as string[]).map((c) => rename(parent, c)),
        });
      }
    }
    return out;
  } finally {
    db.close();
  }
}
