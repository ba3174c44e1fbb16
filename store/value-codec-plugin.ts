/**
 * Makes values round-trip identically on SQLite and PostgreSQL (see schema/values.ts).
 *
 * On write (both dialects), values bound to the JSON and timestamp columns of
 * schema/value-columns.ts are converted by column: JSON is serialized (pg would otherwise turn a
 * JS array into a PostgreSQL array literal) and timestamps are normalized to ISO-8601 UTC with
 * milliseconds. Anywhere else in a query, a Date is bound as that ISO string and, on SQLite, a
 * boolean as 1/0 (better-sqlite3 binds neither).
 *
 * On read (SQLite only; pg parses jsonb and boolean itself and the pool's type parsers handle
 * timestamps), JSON text is parsed and 0/1 turned into booleans, by result column name; a column
 * selected under an alias (`contextData as context`) is decoded under that alias too.
 *
 * Install it after CamelCasePlugin: it reads snake_case names in queries.
 */
import {
  ColumnNode,
  OperationNodeTransformer,
  PrimitiveValueListNode,
  ReferenceNode,
  TableNode,
  AliasNode,
  IdentifierNode,
  SelectQueryNode,
  ValueListNode,
  ValueNode,
  ValuesNode,
  type ColumnUpdateNode,
  type InsertQueryNode,
  type KyselyPlugin,
  type OperationNode,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryId,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
  type UpdateQueryNode,
} from 'kysely';
import { StoreError } from './errors.ts';
import { VALUE_COLUMNS, VIEW_VALUE_COLUMNS } from './schema/value-columns.ts';

export type StoreDialect = 'sqlite' | 'postgres';

type Encoder = (value: unknown) => unknown;

export class ValueCodecPlugin implements KyselyPlugin {
  readonly #dialect: StoreDialect;
  readonly #jsonNames: ReadonlySet<string>;
  readonly #booleanNames: ReadonlySet<string>;
  /** Per query: aliases of JSON and boolean columns in its selection, by result key. */
  readonly #aliases = new WeakMap<QueryId, { json: Set<string>; boolean: Set<string> }>();

  constructor(dialect: StoreDialect) {
    this.#dialect = dialect;
    const all = [...Object.values(VALUE_COLUMNS), ...Object.values(VIEW_VALUE_COLUMNS)];
    this.#jsonNames = withCamelCase(all.flatMap((c) => c.json));
    this.#booleanNames = withCamelCase(all.flatMap((c) => c.boolean));
  }

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (this.#dialect === 'sqlite' && SelectQueryNode.is(args.node)) this.#noteAliases(args.node, args.queryId);
    return new WriteTransformer(this.#dialect).transformNode(args.node, args.queryId);
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    if (this.#dialect !== 'sqlite' || !args.result.rows.length) return args.result;
    const aliases = this.#aliases.get(args.queryId);
    return { ...args.result, rows: args.result.rows.map((row) => this.#decodeRow(row, aliases)) };
  }

  /** Records `column as alias` selections of JSON and boolean columns (both spellings of the alias). */
  #noteAliases(node: SelectQueryNode, queryId: QueryId): void {
    let found: { json: Set<string>; boolean: Set<string> } | undefined;
    for (const { selection } of node.selections ?? []) {
      if (!AliasNode.is(selection) || !IdentifierNode.is(selection.alias)) continue;
      const column = columnName(selection.node);
      if (column === undefined) continue;
      const kind = this.#jsonNames.has(column) ? 'json' : this.#booleanNames.has(column) ? 'boolean' : undefined;
      if (!kind) continue;
      found ??= { json: new Set(), boolean: new Set() };
      for (const name of withCamelCase([selection.alias.name])) found[kind].add(name);
    }
    if (found) this.#aliases.set(queryId, found);
  }

  #decodeRow(row: UnknownRow, aliases: { json: Set<string>; boolean: Set<string> } | undefined): UnknownRow {
    let out: UnknownRow | undefined;
    for (const key in row) {
      const value = row[key];
      let decoded = value;
      if (typeof value === 'string' && (this.#jsonNames.has(key) || aliases?.json.has(key))) decoded = parseJson(value);
      else if (typeof value === 'number' && (this.#booleanNames.has(key) || aliases?.boolean.has(key))) decoded = value !== 0;
      if (decoded !== value) (out ??= { ...row })[key] = decoded;
    }
    return out ?? row;
  }
}

class WriteTransformer extends OperationNodeTransformer {
  readonly #dialect: StoreDialect;
  constructor(dialect: StoreDialect) {
    super();
    this.#dialect = dialect;
  }

  protected override transformInsertQuery(node: InsertQueryNode, queryId?: QueryId): InsertQueryNode {
    const table = node.into ? tableName(node.into) : undefined;
    if (!table || !VALUE_COLUMNS[table]) return super.transformInsertQuery(node, queryId);
    let next: InsertQueryNode = node;
    if (node.columns && node.values && ValuesNode.is(node.values)) {
      const encoders = node.columns.map((c) => encoderFor(table, c.column.name));
      if (encoders.some(Boolean)) {
        const rows = node.values.values.map((row) =>
          PrimitiveValueListNode.is(row)
            ? PrimitiveValueListNode.create(row.values.map((v, i) => (encoders[i] ? encoders[i](v) : v)))
            : ValueListNode.create(row.values.map((v, i) => encodeNode(v, encoders[i]))),
        );
        next = { ...next, values: ValuesNode.create(rows) };
      }
    }
    if (node.onConflict?.updates) {
      next = { ...next, onConflict: { ...node.onConflict, updates: encodeUpdates(table, node.onConflict.updates) } };
    }
    return super.transformInsertQuery(Object.freeze(next), queryId);
  }

  protected override transformUpdateQuery(node: UpdateQueryNode, queryId?: QueryId): UpdateQueryNode {
    const table = node.table ? tableName(node.table) : undefined;
    if (!table || !VALUE_COLUMNS[table] || !node.updates) return super.transformUpdateQuery(node, queryId);
    return super.transformUpdateQuery(Object.freeze({ ...node, updates: encodeUpdates(table, node.updates) }), queryId);
  }

  protected override transformValue(node: ValueNode, queryId?: QueryId): ValueNode {
    if (!node.immediate) {
      const value = this.#bindable(node.value);
      if (value !== node.value) return ValueNode.create(value);
    }
    return super.transformValue(node, queryId);
  }

  protected override transformPrimitiveValueList(node: PrimitiveValueListNode, queryId?: QueryId): PrimitiveValueListNode {
    const values = node.values.map((v) => this.#bindable(v));
    if (values.some((v, i) => v !== node.values[i])) return PrimitiveValueListNode.create(values);
    return super.transformPrimitiveValueList(node, queryId);
  }

  /**
   * Anywhere in a query (WHERE clauses, raw SQL too): a Date is bound as its ISO string on both
   * dialects, so it compares like the stored timestamps; on SQLite a boolean is bound as 1/0.
   */
  #bindable(value: unknown): unknown {
    if (value instanceof Date) return encodeTimestamp(value);
    if (this.#dialect === 'sqlite' && typeof value === 'boolean') return value ? 1 : 0;
    return value;
  }
}

function encodeUpdates(table: string, updates: readonly ColumnUpdateNode[]): readonly ColumnUpdateNode[] {
  return updates.map((u) => {
    const column = columnName(u.column);
    const encoder = column ? encoderFor(table, column) : undefined;
    return encoder ? Object.freeze({ ...u, value: encodeNode(u.value, encoder) }) : u;
  });
}

function encodeNode(node: OperationNode, encoder: Encoder | undefined): OperationNode {
  if (!encoder || !ValueNode.is(node) || node.immediate) return node;
  return ValueNode.create(encoder(node.value));
}

function encoderFor(table: string, column: string): Encoder | undefined {
  const kinds = VALUE_COLUMNS[table];
  if (!kinds) return undefined;
  if (kinds.json.includes(column)) return encodeJson;
  if (kinds.timestamp.includes(column)) return (v) => encodeTimestamp(v, `${table}.${column}`);
  return undefined;
}

function encodeJson(value: unknown): unknown {
  return value === null || value === undefined ? value : JSON.stringify(value);
}

// Date-time text without an offset ("2024-01-31 12:00:00") is taken as UTC, not local time.
const NAIVE_DATE_TIME = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

/** Normalizes a timestamp to ISO-8601 UTC with milliseconds; throws on what is not a timestamp. */
export function encodeTimestamp(value: unknown, where = 'timestamp'): unknown {
  if (value === null || value === undefined) return value;
  let date: Date | undefined;
  if (value instanceof Date) date = value;
  else if (typeof value === 'string') date = new Date(NAIVE_DATE_TIME.test(value) ? `${value.replace(' ', 'T')}Z` : value);
  if (!date || Number.isNaN(date.getTime())) {
    throw new StoreError(
      'INVALID_VALUE',
      `Invalid timestamp ${JSON.stringify(value)} for ${where}: pass a Date or an ISO-8601 string such as '2024-01-31T12:00:00Z'.`,
    );
  }
  return date.toISOString();
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // Text written around the store (raw SQL) may not be JSON; hand it back unchanged.
    return text;
  }
}

function tableName(node: OperationNode): string | undefined {
  if (TableNode.is(node)) return node.table.identifier.name;
  if (AliasNode.is(node)) return tableName(node.node);
  return undefined;
}

function columnName(node: OperationNode): string | undefined {
  if (ColumnNode.is(node)) return node.column.name;
  if (ReferenceNode.is(node) && ColumnNode.is(node.column)) return node.column.column.name;
  return undefined;
}

function withCamelCase(names: readonly string[]): ReadonlySet<string> {
  return new Set(names.flatMap((n) => [n, n.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())]));
}
