/**
 * Join paths between every pair of tables, over the graph whose edges are the detected foreign
 * keys: the most trustworthy path (highest product of edge confidences, via Dijkstra on
 * -log(confidence)) up to a maximum number of hops, with the DuckDB join condition of each step.
 */
import { UndirectedGraph } from 'graphology';
import { dijkstra, unweighted } from 'graphology-shortest-path';
import { quoteIdent } from '../../duckdb.ts';
import type { TypedSource } from '../types.ts';
import { JOIN_PATH_DEFAULTS, type JoinPathOptions } from './options.ts';
import type { JoinPath, JoinPathsResult, JoinStep, Relationship, RelationshipsResult } from './types.ts';

interface EdgeAttributes {
  /** -ln(confidence): the shortest path is the most confident one. */
  weight: number;
  relationship: Relationship;
}

/** One hop from `from` over `rel` (in either direction). */
function step(rel: Relationship, from: string, typed: (table: string) => string): JoinStep {
  const forward = rel.fromTable === from;
  const [fromCols, toTable, toCols] = forward ? [rel.fromColumns, rel.toTable, rel.toColumns] : [rel.toColumns, rel.fromTable, rel.fromColumns];
  const a = quoteIdent(typed(from));
  const b = quoteIdent(typed(toTable));
  const condition = fromCols.map((c, i) => `${a}.${quoteIdent(c)} = ${b}.${quoteIdent(toCols[i])}`).join(' AND ');
  return {
    fromTable: from, fromColumns: fromCols, toTable, toColumns: toCols, relationship: rel.key,
    direction: forward ? 'child_to_parent' : 'parent_to_child', confidence: rel.confidence,
    condition, sql: `JOIN ${b} ON ${condition}`,
  };
}

function path(steps: JoinStep[], typed: (table: string) => string): JoinPath {
  const totalConfidence = Math.round(steps.reduce((p, s) => p * s.confidence, 1) * 10_000) / 10_000;
  return {
    fromTable: steps[0].fromTable, toTable: steps[steps.length - 1].toTable, steps, length: steps.length, totalConfidence,
    sql: `SELECT * FROM ${quoteIdent(typed(steps[0].fromTable))} ${steps.map((s) => s.sql).join(' ')}`,
  };
}

/**
 * Join paths (both directions) between every pair of tables that foreign keys connect, up to `maxLength` hops.
 * @tag module=topology
 *
 * @example
 * ```ts
 * const paths = joinPaths(await relationships(typedSource, duckdb), typedSource);
 * const p = paths.paths.find((x) => x.fromTable === 'order_items' && x.toTable === 'customers');
 * await duckdb.run(p.sql); // SELECT * FROM "typed_order_items" JOIN "typed_orders" ON ... JOIN "typed_customers" ON ...
 * ```
 */
export function joinPaths(relationships: RelationshipsResult, typedSource: TypedSource, joinPathOptions: JoinPathOptions = {}): JoinPathsResult {
  const opts = { ...JOIN_PATH_DEFAULTS, ...joinPathOptions };
  const typedNames = new Map(typedSource.tables.map((t) => [t.name, t.typedTable]));
  const typed = (table: string) => {
    const name = typedNames.get(table);
    if (!name) throw new Error(`joinPaths: relationship table '${table}' is not in typed source '${typedSource.sourceName}'. Pass the relationships detected on this source.`);
    return name;
  };

  const graph = new UndirectedGraph<Record<string, never>, EdgeAttributes>();
  const alternatives: Relationship[] = [];
  for (const t of typedSource.tables) graph.addNode(t.name);
  for (const rel of relationships.relationships) {
    if (rel.fromTable === rel.toTable) continue; // a self-reference joins a table to itself, not to another table
    typed(rel.fromTable); typed(rel.toTable);
    const weight = -Math.log(Math.max(rel.confidence, 1e-9));
    const existing = graph.edge(rel.fromTable, rel.toTable);
    if (existing === undefined) {
      graph.addEdge(rel.fromTable, rel.toTable, { weight, relationship: rel });
    } else if (rel.confidence > graph.getEdgeAttribute(existing, 'relationship').confidence) {
      alternatives.push(graph.getEdgeAttribute(existing, 'relationship'));
      graph.replaceEdgeAttributes(existing, { weight, relationship: rel });
    } else {
      alternatives.push(rel);
    }
  }

  const paths: JoinPath[] = [];
  for (const source of graph.nodes()) {
    const best = dijkstra.singleSource(graph, source, 'weight');
    for (const [target, nodes] of Object.entries(best)) {
      if (target === source) continue;
      let route = nodes;
      // The most confident route may be longer than allowed while a shorter one exists.
      if (route.length - 1 > opts.maxLength) route = unweighted.bidirectional(graph, source, target) ?? route;
      if (route.length - 1 > opts.maxLength) continue;
      const steps: JoinStep[] = [];
      for (let i = 0; i + 1 < route.length; i++) {
        const rel = graph.getEdgeAttribute(graph.edge(route[i], route[i + 1]) as string, 'relationship');
        steps.push(step(rel, route[i], typed));
      }
      const p = path(steps, typed);
      if (p.totalConfidence >= opts.minTotalConfidence) paths.push(p);
    }
  }
  // A pair linked by several foreign keys (origin and destination -> airports): each is a way to join.
  for (const rel of alternatives) {
    for (const from of [rel.fromTable, rel.toTable]) {
      const p = path([step(rel, from, typed)], typed);
      if (p.totalConfidence >= opts.minTotalConfidence) paths.push(p);
    }
  }
  paths.sort((x, y) => x.fromTable.localeCompare(y.fromTable) || x.toTable.localeCompare(y.toTable) || y.totalConfidence - x.totalConfidence || x.length - y.length);
  return { sourceName: relationships.sourceName, paths, maxLength: opts.maxLength };
}
