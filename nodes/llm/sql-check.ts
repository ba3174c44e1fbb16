/**
 * Checks SQL a model wrote before dataraum keeps it: DuckDB's own parser (`json_serialize_sql`)
 * must see exactly one SELECT reading only the allowed typed tables (or its own CTEs), with no
 * table functions and no function that reaches outside the database (files, URLs, environment);
 * then the statement is executed with LIMIT 0, which proves every column and type resolves
 * without reading any rows.
 */
import { queryRows, quoteIdent, type DuckDBConnection } from '../duckdb.ts';

/** Functions that read files, URLs, the environment or the catalog: never in model-written SQL. */
const OUTSIDE = /^(read_|getenv|glob|sniff_csv|parquet_|duckdb_|pragma_|query|query_table|current_setting|load|install|iceberg_|delta_)/i;

/** Why `sql` is refused, or null when it is one SELECT over `allowedTables` that DuckDB can plan. */
export async function checkSelect(conn: DuckDBConnection, sql: string, allowedTables: ReadonlySet<string>, opts: { allowSubqueries?: boolean } = {}): Promise<string | null> {
  const [row] = await queryRows<{ j: string }>(conn, 'SELECT json_serialize_sql(CAST($1 AS VARCHAR)) AS "j"', [sql]);
  const ast = JSON.parse(row!.j) as { error: boolean; error_message?: string; statements?: { node: unknown }[] };
  if (ast.error) return `not a single SELECT DuckDB can parse: ${ast.error_message ?? 'parse error'}`;
  if (ast.statements?.length !== 1) return `${ast.statements?.length ?? 0} statements; exactly one SELECT is allowed`;
  // DuckDB resolves identifiers case-insensitively: so does this check.
  const allowed = new Set([...allowedTables].map((t) => t.toLowerCase()));
  const ctes = new Set<string>();
  const problems: string[] = [];
  walk(ast.statements[0]!.node, (n) => {
    if (n.cte_map && typeof n.cte_map === 'object') for (const e of (n.cte_map as { map?: { key: string }[] }).map ?? []) ctes.add(e.key.toLowerCase());
  });
  walk(ast.statements[0]!.node, (n) => {
    if (n.type === 'BASE_TABLE') {
      const name = String(n.table_name);
      const qualified = Boolean(n.schema_name) || Boolean(n.catalog_name);
      if (qualified || (!allowed.has(name.toLowerCase()) && !ctes.has(name.toLowerCase()))) problems.push(`reads table ${JSON.stringify(name)}, which is not one of the typed tables`);
    } else if (n.type === 'TABLE_FUNCTION') {
      problems.push('calls a table function');
    } else if (n.type === 'SUBQUERY' && !opts.allowSubqueries) {
      problems.push('holds a subquery');
    } else if (n.type === 'FUNCTION' && OUTSIDE.test(String(n.function_name))) {
      problems.push(`calls ${String(n.function_name)}(), which reaches outside the database`);
    }
  });
  if (problems.length) return [...new Set(problems)].join('; ');
  try {
    await conn.run(`SELECT * FROM (${sql}) AS ${quoteIdent('llm_check')} LIMIT 0`);
  } catch (e) {
    return `DuckDB rejects it: ${(e as Error).message.split('\n')[0]}`;
  }
  return null;
}

/** Why a row predicate over `typedTable` is refused, or null when DuckDB accepts it. */
export async function checkPredicate(conn: DuckDBConnection, predicate: string, typedTable: string): Promise<string | null> {
  if (predicate.includes(';')) return 'holds a semicolon';
  return checkSelect(conn, `SELECT * FROM ${quoteIdent(typedTable)} WHERE NOT (${predicate})`, new Set([typedTable]));
}

function walk(node: unknown, visit: (n: Record<string, unknown>) => void): void {
  const stack: unknown[] = [node];
  while (stack.length) {
    const n = stack.pop();
    if (Array.isArray(n)) stack.push(...n);
    else if (n && typeof n === 'object') {
      visit(n as Record<string, unknown>);
      stack.push(...Object.values(n));
    }
  }
}
