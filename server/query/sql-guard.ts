/**
 * Decides whether a statement may run on the read-only query engine, from DuckDB's own parser
 * (`json_serialize_sql`) and planner (`EXPLAIN (FORMAT json)`), never from regular expressions over
 * the SQL text: comments, quoting and case tricks are resolved by the parser before we look.
 */
import type { DuckDBConnection } from '@duckdb/node-api';

/** Thrown when a statement is refused; `reason` says why in words a caller can act on. */
export class QueryRefusedError extends Error {
  readonly code = 'QUERY_REFUSED';
  constructor(readonly reason: string) {
    super(`query refused: ${reason}`);
    this.name = 'QueryRefusedError';
  }
}

/** Table functions that read nothing but their arguments. Every other table function is refused. */
const SAFE_TABLE_FUNCTIONS = new Set(['range', 'generate_series', 'unnest']);

/**
 * Scalar/aggregate functions that reach outside the query: the environment, settings, files,
 * catalogs or SQL execution from a string. The runtime settings (no external access, locked
 * configuration) already block most of them; refusing by name gives a clear reason first.
 */
const DENIED_FUNCTIONS = new Set([
  'getenv', 'current_setting', 'glob', 'query', 'query_table', 'sniff_csv', 'which_secret', 'load_aws_credentials',
  'json_execute_serialized_sql', 'json_deserialize_sql', 'json_serialize_sql', 'json_serialize_plan', 'checkpoint', 'force_checkpoint',
  'enable_profiling', 'disable_profiling', 'current_database', 'current_schema', 'current_schemas', 'sql_auto_complete', 'icu_calendar_names',
  'has_table_privilege', 'has_schema_privilege', 'has_database_privilege', 'has_column_privilege', 'has_function_privilege', 'pg_get_viewdef',
]);
const DENIED_FUNCTION_PREFIXES = ['read_', 'duckdb_', 'pragma_', 'parquet_', 'sqlite_', 'postgres_', 'mysql_', 'iceberg_', 'delta_', 'arrow_', 'json_execute', 'pg_'];

/** Table references the serializer can produce that are plain relational structure. */
const STRUCTURAL_REFS = new Set(['JOIN', 'SUBQUERY', 'EMPTY', 'EXPRESSION_LIST', 'PIVOT', 'DELIM_GET', 'COLUMN_DATA']);

/** The catalog name DuckDB gives the attached file: its base name without extension. */
export function catalogNameOf(duckdbPath: string): string {
  const base = duckdbPath.split(/[\\/]/).pop() ?? '';
  return base.replace(/\.[^.]*$/, '');
}

export interface GuardScope {
  /** Names of the typed_* / quarantine_* tables that exist (lower-cased comparisons). */
  readonly allowedTables: ReadonlySet<string>;
  /** The catalog name of the database file (`data` for data.duckdb). */
  readonly catalog: string;
}

/**
 * Parses `sql` with DuckDB and refuses anything but one SELECT / WITH / VALUES statement that reads
 * only allowed tables and calls no outside-reaching function. Throws `QueryRefusedError`.
 */
export async function checkStatement(conn: DuckDBConnection, sql: string, scope: GuardScope): Promise<void> {
  if (!sql.trim()) throw new QueryRefusedError('the query is empty; send one SELECT statement');
  if (!stripComments(sql).replaceAll(';', '').trim()) throw new QueryRefusedError('the query holds no statement (only comments or semicolons); send one SELECT statement');
  let count: number;
  try {
    count = (await conn.extractStatements(sql)).count;
  } catch (err) {
    throw new QueryRefusedError(`the SQL does not parse: ${firstLine(err)}`);
  }
  if (count === 0) throw new QueryRefusedError('the query holds no statement (only comments or semicolons); send one SELECT statement');
  if (count > 1 && /\bpivot\b/i.test(stripComments(sql))) {
    // DuckDB plans a PIVOT without an IN list as extra statements (it creates an enum of the values first).
    throw new QueryRefusedError('PIVOT without an explicit value list needs more than one statement; list the values: PIVOT t ON col IN (\'a\', \'b\') USING count(*)');
  }
  if (count > 1) throw new QueryRefusedError(`${count} statements were sent; exactly one SELECT / WITH / VALUES statement is allowed per query`);

  const reader = await conn.runAndReadAll('SELECT json_serialize_sql($1::VARCHAR) AS ast', [sql]);
  const ast = JSON.parse(String(reader.getRowObjectsJson()[0]!.ast)) as { error: boolean; error_message?: string; statements?: unknown[] };
  if (ast.error) {
    const kind = await statementKind(conn, sql);
    throw new QueryRefusedError(`only read queries (SELECT / WITH / VALUES) are allowed; this is ${kind ? `${article(kind)} ${kind} statement` : `not one (${ast.error_message ?? 'unknown statement'})`}`);
  }
  if (ast.statements?.length !== 1) throw new QueryRefusedError('exactly one SELECT statement is allowed per query');
  const cteNames = new Set<string>();
  collectCteNames(ast.statements[0], cteNames);
  walkAst(ast.statements[0], scope, cteNames);
}

/**
 * After the parser check, the planner's view: every scan in the physical plan must read an allowed
 * table. This closes what a name-based check can miss (a CTE name that shadows a table in one
 * scope but not another, views that expand to other tables).
 */
export async function checkPlan(conn: DuckDBConnection, sql: string, scope: GuardScope): Promise<void> {
  // Safe to prefix: checkStatement proved `sql` is exactly one SELECT statement.
  const prefix = 'EXPLAIN (FORMAT json) ';
  let reader;
  try {
    reader = await conn.runAndReadAll(`${prefix}${sql}`);
  } catch (err) {
    throw withoutPrefix(err, prefix);
  }
  for (const row of reader.getRowObjectsJson()) {
    const plan = JSON.parse(String(row.explain_value)) as unknown;
    walkPlan(plan, scope);
  }
}

/**
 * DuckDB's error about the person's query as if it had been run as written: its quoted line and
 * the caret under it without the planner prefix.
 */
function withoutPrefix(err: unknown, prefix: string): unknown {
  if (!(err instanceof Error) || !err.message.includes(prefix)) return err;
  const lines = err.message.split('\n');
  const at = lines.findIndex((l) => /^LINE \d+: /.test(l) && l.includes(prefix));
  if (at >= 0) {
    lines[at] = lines[at]!.replace(prefix, '');
    const caret = lines[at + 1];
    if (caret !== undefined && /^ *\^$/.test(caret) && caret.startsWith(' '.repeat(prefix.length))) lines[at + 1] = caret.slice(prefix.length);
  }
  const out = new Error(lines.join('\n').replaceAll(prefix, ''), { cause: err });
  out.name = err.name;
  return out;
}

async function statementKind(conn: DuckDBConnection, sql: string): Promise<string | undefined> {
  // The first keyword names what a person wrote (DuckDB rewrites e.g. PRAGMA into a SELECT).
  const text = stripComments(sql).trim();
  const m = /^\(*\s*([A-Za-z]+)\b/.exec(text);
  if (m && m[1]!.toUpperCase() === 'WITH') {
    // A CTE in front of a write: name the write.
    const w = /\b(INSERT|UPDATE|DELETE|MERGE|COPY|CREATE|DROP|ALTER)\b/i.exec(text);
    if (w) return w[1]!.toUpperCase();
  }
  if (m) return m[1]!.toUpperCase();
  try {
    const prepared = await (await conn.extractStatements(sql)).prepare(0);
    return statementTypeName(prepared.statementType);
  } catch {
    return undefined;
  }
}

const STATEMENT_TYPES: Record<number, string> = {
  0: 'INVALID', 1: 'SELECT', 2: 'INSERT', 3: 'UPDATE', 4: 'EXPLAIN', 5: 'DELETE', 6: 'PREPARE', 7: 'CREATE', 8: 'EXECUTE', 9: 'ALTER',
  10: 'TRANSACTION', 11: 'COPY', 12: 'ANALYZE', 13: 'VARIABLE_SET', 14: 'CREATE_FUNC', 15: 'DROP', 16: 'EXPORT', 17: 'PRAGMA',
  18: 'VACUUM', 19: 'CALL', 20: 'SET', 21: 'LOAD', 22: 'RELATION', 23: 'EXTENSION', 24: 'LOGICAL_PLAN', 25: 'ATTACH', 26: 'DETACH', 27: 'MULTI',
};

function statementTypeName(t: number): string {
  return STATEMENT_TYPES[t] ?? `type ${t}`;
}

function article(word: string): string {
  return /^[AEIOU]/i.test(word) ? 'an' : 'a';
}

/** Comments removed for naming and emptiness checks only; the parser decides what runs. */
function stripComments(sql: string): string {
  return sql.replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, ' ');
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function collectCteNames(node: unknown, out: Set<string>): void {
  if (Array.isArray(node)) { for (const n of node) collectCteNames(n, out); return; }
  if (!isObj(node)) return;
  const cte = node.cte_map;
  if (isObj(cte) && Array.isArray(cte.map)) {
    for (const entry of cte.map) if (isObj(entry) && typeof entry.key === 'string') out.add(entry.key.toLowerCase());
  }
  for (const v of Object.values(node)) collectCteNames(v, out);
}

function walkAst(node: unknown, scope: GuardScope, ctes: ReadonlySet<string>): void {
  if (Array.isArray(node)) { for (const n of node) walkAst(n, scope, ctes); return; }
  if (!isObj(node)) return;
  if (typeof node.function_name === 'string') checkFunction(node.function_name, typeof node.schema === 'string' ? node.schema : '');
  // Table references carry `sample` and `alias` and no expression `class`.
  if (typeof node.type === 'string' && !node.type.endsWith('_NODE') && 'sample' in node && !('class' in node)) checkTableRef(node, scope, ctes);
  for (const v of Object.values(node)) walkAst(v, scope, ctes);
}

function checkFunction(name: string, schema: string): void {
  const n = name.toLowerCase();
  if (schema && !['main', 'pg_catalog'].includes(schema.toLowerCase())) {
    throw new QueryRefusedError(`function ${schema}.${name} is outside the exposed catalog`);
  }
  if (DENIED_FUNCTIONS.has(n) || DENIED_FUNCTION_PREFIXES.some((p) => n.startsWith(p))) {
    throw new QueryRefusedError(`function ${name}() reaches outside the typed tables (files, environment, settings or catalog metadata) and is not allowed`);
  }
}

function checkTableRef(ref: Obj, scope: GuardScope, ctes: ReadonlySet<string>): void {
  const type = String(ref.type);
  if (type === 'TABLE_FUNCTION') {
    const fn = isObj(ref.function) ? String(ref.function.function_name ?? '') : '';
    if (!SAFE_TABLE_FUNCTIONS.has(fn.toLowerCase())) {
      throw new QueryRefusedError(`table function ${fn}() is not allowed: only ${[...SAFE_TABLE_FUNCTIONS].join(', ')} may appear in FROM; files, URLs and other databases cannot be read`);
    }
    return;
  }
  if (type === 'BASE_TABLE') {
    checkBaseTable(String(ref.catalog_name ?? ''), String(ref.schema_name ?? ''), String(ref.table_name ?? ''), scope, ctes);
    return;
  }
  if (type === 'SHOW_REF') throw new QueryRefusedError('DESCRIBE / SHOW / SUMMARIZE are not exposed; list_tables gives the columns and types');
  if (!STRUCTURAL_REFS.has(type)) throw new QueryRefusedError(`a ${type} table reference is not supported by the read-only engine`);
}

/**
 * Tables a query may read: typed_* and quarantine_* (the typed layer) and raw_*__rejects (the
 * source lines staging could not parse, with their file, line and error).
 */
export function isExposedTable(name: string): boolean {
  return /^(typed|quarantine)_/i.test(name) || /^raw_.+__rejects$/i.test(name);
}

function checkBaseTable(catalog: string, schema: string, table: string, scope: GuardScope, ctes: ReadonlySet<string>): void {
  const name = table.toLowerCase();
  const qualified = [catalog, schema, table].filter(Boolean).join('.');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(table)) throw new QueryRefusedError(`'${table}' is a URL; network reads are not allowed`);
  if (/[/\\.]/.test(table)) throw new QueryRefusedError(`'${table}' looks like a file path (a replacement scan); files cannot be read, only typed_*, quarantine_* and raw_*__rejects tables`);
  if (catalog && catalog.toLowerCase() !== scope.catalog.toLowerCase()) {
    throw new QueryRefusedError(`${qualified}: catalog '${catalog}' is not exposed; write the table name alone`);
  }
  if (schema && schema.toLowerCase() !== 'main') {
    throw new QueryRefusedError(`${qualified}: schema '${schema}' (catalog metadata or another schema) is not exposed; only typed_*, quarantine_* and raw_*__rejects tables are`);
  }
  if (!catalog && !schema && ctes.has(name)) return;
  if (name.startsWith('raw_') && !isExposedTable(name)) throw new QueryRefusedError(`${table} is a raw staging table (untyped text) and is not exposed; query the typed_${table.slice(4)} table instead (rejected source lines are in ${table}__rejects)`);
  if (!isExposedTable(name)) {
    throw new QueryRefusedError(`${table} is not a typed_*, quarantine_* or raw_*__rejects table; metadata and internal tables are not exposed (available: ${[...scope.allowedTables].join(', ') || 'none'})`);
  }
  if (!scope.allowedTables.has(name)) {
    throw new QueryRefusedError(`table ${table} does not exist; available: ${[...scope.allowedTables].join(', ') || 'none (run `dataraum run` first)'}`);
  }
}

function walkPlan(node: unknown, scope: GuardScope): void {
  if (Array.isArray(node)) { for (const n of node) walkPlan(n, scope); return; }
  if (!isObj(node)) return;
  const info = isObj(node.extra_info) ? node.extra_info : undefined;
  if (info) {
    if (typeof info.Table === 'string') {
      // e.g. `"data".main.typed_airports`; names with dots are quoted by DuckDB.
      const parts = splitQualified(info.Table);
      const table = (parts.at(-1) ?? '').toLowerCase();
      if (!scope.allowedTables.has(table)) throw new QueryRefusedError(`the plan scans ${info.Table}, which is not an exposed typed_*, quarantine_* or raw_*__rejects table`);
    }
    if (typeof info.Function === 'string' && !SAFE_TABLE_FUNCTIONS.has(info.Function.toLowerCase())) {
      throw new QueryRefusedError(`the plan calls table function ${info.Function}, which is not allowed`);
    }
  }
  if (Array.isArray(node.children)) walkPlan(node.children, scope);
}

function splitQualified(text: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"]|"")*)"|([^."]+)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(m[1] !== undefined ? m[1].replaceAll('""', '"') : m[2]!);
  return out;
}
