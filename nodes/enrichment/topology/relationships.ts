/**
 * Foreign-key detection across the typed tables of one source: candidates pruned by key type and
 * uniqueness of the referenced side, value containment measured in DuckDB (batched per referenced
 * column), combined with name evidence into a confidence (see scoring.ts); cardinality from the
 * child's uniqueness; n:m links through bridge tables.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { TypedSource } from '../types.ts';
import { _candidates, type CompositeCandidate, type SingleCandidate } from './candidates.ts';
import { _comparison, _sourceStats, type ColumnStat, type SourceStats } from './column-stats.ts';
import { _measureContainment, type Measured } from './containment.ts';
import { _isOwnKeyName } from './names.ts';
import { TOPOLOGY_DEFAULTS, type TopologyOptions } from './options.ts';
import { _score, type Score } from './scoring.ts';
import type { ManyToMany, RejectedCandidate, Relationship, RelationshipsResult } from './types.ts';
import { forkConnection } from '../../duckdb.ts';

/** `orders(customer_id)->customers(id)`. */
export function _relationshipKey(fromTable: string, fromColumns: readonly string[], toTable: string, toColumns: readonly string[]): string {
  return `${fromTable}(${fromColumns.join(',')})->${toTable}(${toColumns.join(',')})`;
}

interface Judged {
  readonly rel: Relationship;
  readonly score: Score;
}

function build(
  fromTable: string, fromColumns: string[], toTable: string, toColumns: string[],
  child: { rows: number; nonNull: number; distinct: number; unique: boolean; range: [string | null, string | null] },
  parent: { distinct: number; range: [string | null, string | null] },
  m: { matched: number; nameScore: number; nameRule: string | null; keyness: number }, score: Score, comparison: 'native' | 'text',
): Relationship {
  const method = score.containment === null ? 'name' : m.nameScore >= 0.5 ? 'value_and_name' : 'value';
  return {
    key: _relationshipKey(fromTable, fromColumns, toTable, toColumns),
    relationshipType: 'foreign_key', fromTable, fromColumns, toTable, toColumns,
    cardinality: child.unique ? 'one_to_one' : 'many_to_one', comparison,
    confidence: score.confidence, detectionMethod: method,
    evidence: {
      containment: score.containment, childDistinct: child.distinct, childNonNull: child.nonNull, childRows: child.rows,
      parentDistinct: parent.distinct, matchedDistinct: m.matched,
      parentCoverage: parent.distinct ? Math.round((m.matched / parent.distinct) * 10_000) / 10_000 : 0,
      nameScore: m.nameScore, nameRule: m.nameRule, parentKeyness: m.keyness,
      nameConfidence: score.nameConfidence, valueConfidence: score.valueConfidence, parentDense: score.parentDense,
      penalties: score.penalties, childRange: child.range, parentRange: parent.range,
    },
  };
}

function judgeSingle(m: Measured<SingleCandidate>, opts: Required<TopologyOptions>): Judged {
  const { child, parent, name, parentKeyness } = m.candidate;
  const score = _score({ child, parent, name, parentKeyness, childDistinct: m.childDistinct, matched: m.matched, parentDistinct: parent.distinct }, opts);
  const rel = build(child.table, [child.column], parent.table, [parent.column],
    { rows: child.rowCount, nonNull: child.nonNull, distinct: m.childDistinct, unique: child.unique, range: [child.min, child.max] },
    { distinct: parent.distinct, range: [parent.min, parent.max] },
    { matched: m.matched, nameScore: name.score, nameRule: name.rule, keyness: parentKeyness }, score,
    _comparison(child, parent) === 'same' ? 'native' : 'text');
  return { rel, score };
}

function judgeComposite(m: Measured<CompositeCandidate>, opts: Required<TopologyOptions>): Judged {
  const c = m.candidate;
  // Tuples are judged as one opaque key: no integer-range guards (both columns are named for the
  // parent's key, which composite candidates require) and never a dense domain.
  const tuple = (s: ColumnStat, distinct: number, nonNull: number, rows: number): ColumnStat =>
    ({ ...s, family: 'string', distinct, nonNull, rowCount: rows, minNum: null, maxNum: null, numeric: false, spaced: false, dateText: false, unique: distinct === nonNull });
  const child = tuple(c.childColumns[0], m.childDistinct, m.childNonNull, c.childColumns[0].rowCount);
  const parent = tuple(c.parentColumns[0], c.parent.rowCount, c.parent.rowCount, c.parent.rowCount);
  const score = _score({ child, parent, name: c.name, parentKeyness: 1, childDistinct: m.childDistinct, matched: m.matched, parentDistinct: c.parent.rowCount }, opts);
  const rel = build(c.childTable, c.childColumns.map((s) => s.column), c.parent.table, [...c.parent.columns],
    { rows: child.rowCount, nonNull: m.childNonNull, distinct: m.childDistinct, unique: child.unique, range: [null, null] },
    { distinct: c.parent.rowCount, range: [null, null] },
    { matched: m.matched, nameScore: c.name.score, nameRule: c.name.rule, keyness: 1 }, score, 'native');
  return { rel, score };
}

/** n:m links: a table whose two foreign keys form its composite key, or that holds nothing but foreign keys (and its own id). */
function bridges(found: readonly Relationship[], typedSource: TypedSource, stats: SourceStats): ManyToMany[] {
  const out: ManyToMany[] = [];
  const byTable = new Map<string, Relationship[]>();
  for (const r of found) {
    if (r.fromColumns.length !== 1 || r.cardinality !== 'many_to_one' || r.fromTable === r.toTable) continue;
    byTable.set(r.fromTable, [...(byTable.get(r.fromTable) ?? []), r]);
  }
  for (const [table, fks] of byTable) {
    if (fks.length < 2) continue;
    const cols = typedSource.tables.find((t) => t.name === table)?.columns ?? [];
    const fkCols = new Set(fks.map((r) => r.fromColumns[0]));
    const onlyKeys = cols.every((c) => fkCols.has(c.name) || _isOwnKeyName(c.name, table));
    const keys = stats.compositeKeys.filter((k) => k.table === table).map((k) => new Set(k.columns));
    for (let i = 0; i < fks.length; i++) {
      for (let j = i + 1; j < fks.length; j++) {
        const [a, b] = [fks[i], fks[j]];
        if (a.toTable === b.toTable) continue;
        const isKey = keys.some((k) => k.has(a.fromColumns[0]) && k.has(b.fromColumns[0]));
        if (!isKey && !onlyKeys) continue;
        out.push({
          key: `${a.toTable}(${a.toColumns[0]})<-${table}->${b.toTable}(${b.toColumns[0]})`, bridgeTable: table, via: [a.key, b.key],
          left: { table: a.toTable, column: a.toColumns[0] }, right: { table: b.toTable, column: b.toColumns[0] },
          cardinality: 'many_to_many', confidence: Math.round(a.confidence * b.confidence * 10_000) / 10_000,
        });
      }
    }
  }
  return out;
}

/**
 * Two bridge tables over the same parents (`dept_manager(emp_no, dept_no)` and `dept_emp(emp_no,
 * dept_no)`): one's key pairs are a subset of the other's because managers are employees of their
 * department, not because one references the other. A composite link is dropped when the child's
 * columns are its own table's key and every referenced column is itself a foreign key to a third
 * table (both ends are pure bridges).
 */
export function _dropBridgeSubsets(kept: readonly Relationship[], stats: SourceStats, onDrop: (r: Relationship, reason: string) => void): Relationship[] {
  const fkColumns = new Set(kept.filter((r) => r.fromColumns.length === 1).map((r) => `${r.fromTable}\u0000${r.fromColumns[0]}`));
  const isKey = (table: string, cols: readonly string[]) => stats.compositeKeys.some((k) => k.table === table && cols.every((c) => k.columns.includes(c)));
  return kept.filter((r) => {
    if (r.fromColumns.length < 2) return true;
    const bridgeToBridge = isKey(r.fromTable, r.fromColumns) && isKey(r.toTable, r.toColumns)
      && r.toColumns.every((c) => fkColumns.has(`${r.toTable}\u0000${c}`)) && r.fromColumns.every((c) => fkColumns.has(`${r.fromTable}\u0000${c}`));
    if (bridgeToBridge) onDrop(r, `both ${r.fromTable} and ${r.toTable} are bridges over the same tables: a subset, not a reference`);
    return !bridgeToBridge;
  });
}

/**
 * A view or copy of a table (`v_misc` selecting `md, amount` from `misc`) holds the same rows, so
 * its key matches the table's one to one and reads as a reference either way. A single-column link
 * is dropped when the two tables mirror each other: the same row count, every child value in the
 * parent and every parent value in the child, the same column name on both ends, and the columns
 * (name and type) of one table all among the other's, at least two of them unless both tables have
 * the same columns. A 1:1 extension table (`user_settings(user_id, theme)` of `users`) has columns
 * of its own and is kept; so is a one-column registry of ids (`entities(id)`) extended by another table.
 */
export function _dropMirrors(kept: readonly Relationship[], typedSource: TypedSource, onDrop: (r: Relationship, reason: string) => void): Relationship[] {
  const tables = new Map(typedSource.tables.map((t) => [t.name, t]));
  const columnsOf = (name: string) => new Set(tables.get(name)?.columns.map((c) => `${c.name}\u0000${c.type}`) ?? []);
  const within = (a: ReadonlySet<string>, b: ReadonlySet<string>) => [...a].every((x) => b.has(x));
  return kept.filter((r) => {
    const [from, to] = [tables.get(r.fromTable), tables.get(r.toTable)];
    if (!from || !to || r.fromTable === r.toTable || r.fromColumns.length !== 1 || r.fromColumns[0] !== r.toColumns[0]) return true;
    const e = r.evidence;
    const sameValues = r.cardinality === 'one_to_one' && e.containment === 1 && e.matchedDistinct === e.parentDistinct;
    if (!sameValues || from.rowCount !== to.rowCount) return true;
    const [a, b] = [columnsOf(r.fromTable), columnsOf(r.toTable)];
    const [small, large] = a.size <= b.size ? [a, b] : [b, a];
    const mirror = within(small, large) && (small.size >= 2 || small.size === large.size);
    if (mirror) onDrop(r, `${r.fromTable} and ${r.toTable} hold the same ${from.rowCount} rows with the same ${r.fromColumns[0]} values, and one's columns are all the other's: a view or copy, not a child table`);
    return !mirror;
  });
}

/**
 * A column of a composite foreign key `C(x, y) -> P(a, b)` also "references" whatever `P.a`
 * references (`returns.order_id -> orders.id` via `order_items(order_id, line_no)`). That link is
 * implied, not declared: it is dropped when the composite and `P.a -> T` are both kept.
 */
export function _dropImpliedByComposite(kept: readonly Relationship[], onDrop: (r: Relationship, reason: string) => void): Relationship[] {
  const composites = kept.filter((r) => r.fromColumns.length > 1);
  if (!composites.length) return [...kept];
  const byKey = new Set(kept.filter((r) => r.fromColumns.length === 1).map((r) => `${r.fromTable}\u0000${r.fromColumns[0]}\u0000${r.toTable}\u0000${r.toColumns[0]}`));
  return kept.filter((r) => {
    if (r.fromColumns.length !== 1) return true;
    const via = composites.find((c) => c.fromTable === r.fromTable && c.fromColumns.some((col, i) =>
      col === r.fromColumns[0] && byKey.has(`${c.toTable}\u0000${c.toColumns[i]}\u0000${r.toTable}\u0000${r.toColumns[0]}`)));
    if (via) onDrop(r, `implied by ${via.key}`);
    return !via;
  });
}

/**
 * Foreign keys between the typed tables of a source, from value containment in DuckDB and name evidence.
 * @tag module=topology
 *
 * @example
 * ```ts
 * const duckdb = await openDuckDB(':memory:');
 * await duckdb.run(`CREATE TABLE typed_airports AS SELECT * FROM read_csv('node_modules/vega-datasets/data/airports.csv')`);
 * await duckdb.run(`CREATE TABLE typed_flights AS SELECT * FROM read_csv('node_modules/vega-datasets/data/flights-airport.csv')`);
 * const col = (name: string, position: number, type = 'VARCHAR') => ({ name, originalName: name, position, type });
 * const found = await relationships({
 *   sourceName: 'vega',
 *   tables: [
 *     { name: 'airports', typedTable: 'typed_airports', rowCount: 3376, columns: [col('iata', 0), col('name', 1)] },
 *     { name: 'flights', typedTable: 'typed_flights', rowCount: 5366, columns: [col('origin', 0), col('destination', 1), col('count', 2, 'BIGINT')] },
 *   ],
 * }, duckdb);
 * // found.relationships: flights(destination)->airports(iata), flights(origin)->airports(iata)
 * // found.stats.queries: { columnStats: 2, compositeKeys: 1, containment: 1 } (flights has no single-column key)
 * ```
 */
export async function relationships(typedSource: TypedSource, duckdb: DuckDBConnection, topologyOptions: TopologyOptions = {}): Promise<RelationshipsResult> {
  // The enrichment branches run concurrently: each takes its own DuckDB connection.
  const fork = await forkConnection(duckdb);
  try {
    return await relationshipsOn(typedSource, fork.conn, topologyOptions);
  } finally {
    fork.close();
  }
}

async function relationshipsOn(typedSource: TypedSource, duckdb: DuckDBConnection, topologyOptions: TopologyOptions): Promise<RelationshipsResult> {
  const opts: Required<TopologyOptions> = { ...TOPOLOGY_DEFAULTS, ...topologyOptions };
  const stats = await _sourceStats(typedSource, duckdb, opts.maxCompositeColumns);
  const candidates = _candidates(stats, opts);
  const measured = await _measureContainment(duckdb, candidates.single, candidates.composite);
  const judged = [...measured.single.map((m) => judgeSingle(m, opts)), ...measured.composite.map((m) => judgeComposite(m, opts))]
    .sort((a, b) => b.rel.confidence - a.rel.confidence || b.rel.evidence.parentKeyness - a.rel.evidence.parentKeyness || a.rel.key.localeCompare(b.rel.key));

  const rejected: RejectedCandidate[] = [];
  const drop = (r: Relationship, reason: string) => rejected.push({
    fromTable: r.fromTable, fromColumns: r.fromColumns, toTable: r.toTable, toColumns: r.toColumns,
    confidence: r.confidence, containment: r.evidence.containment, reason,
  });
  const reject = (j: Judged, reason: string) => drop(j.rel, reason);
  const kept: Relationship[] = [];
  const taken = new Map<string, string>();
  const pairs = new Set<string>();
  for (const j of judged) {
    if (j.score.reject) { reject(j, j.score.reject); continue; }
    if (j.rel.confidence < opts.minConfidence) { reject(j, `confidence ${j.rel.confidence} below ${opts.minConfidence}`); continue; }
    // A child column references one parent: the strongest wins (judged is sorted).
    const childKey = `${j.rel.fromTable}(${j.rel.fromColumns.join(',')})`;
    const winner = taken.get(childKey);
    if (winner) { reject(j, `weaker than ${winner}`); continue; }
    // Two unique columns holding the same values point at each other: keep the stronger direction.
    const reverse = _relationshipKey(j.rel.toTable, j.rel.toColumns, j.rel.fromTable, j.rel.fromColumns);
    if (pairs.has(reverse)) { reject(j, `reverse of ${reverse}`); continue; }
    taken.set(childKey, j.rel.key);
    pairs.add(j.rel.key);
    kept.push(j.rel);
  }

  const final = _dropImpliedByComposite(_dropBridgeSubsets(_dropMirrors(kept, typedSource, drop), stats, drop), drop);
  rejected.sort((a, b) => b.confidence - a.confidence);

  const uniqueColumns = [...stats.columns.values()].reduce((n, m) => n + [...m.values()].filter((s) => s.unique).length, 0);
  return {
    sourceName: typedSource.sourceName,
    relationships: final,
    manyToMany: bridges(final, typedSource, stats),
    rejected: rejected.slice(0, opts.maxRejected),
    stats: {
      tables: typedSource.tables.length,
      columns: typedSource.tables.reduce((n, t) => n + t.columns.length, 0),
      uniqueColumns,
      compositeKeys: stats.compositeKeys.length,
      candidatePairs: candidates.considered,
      prunedBeforeQuery: candidates.pruned,
      measuredPairs: measured.single.length + measured.composite.length,
      queries: { columnStats: stats.queries.columnStats, compositeKeys: stats.queries.compositeKeys, containment: measured.queries },
    },
  };
}
