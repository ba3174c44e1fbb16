/**
 * The dataflow as a graphology graph, exported to its JSON serialization, for tools that want
 * the structure (Sigma.js, Gephi via graphology-gexf, custom dashboards) rather than a picture.
 */
import { DirectedGraph } from 'graphology';
import type { CacheBehavior, Manifest, ManifestCheck, ManifestCondition, NodeKind, NodeOutcome, SourceLocation } from '../engine/index.ts';
import { buildVizModel } from './model.ts';
import type { VizOptions } from './options.ts';

export type VizNodeAttributes = {
  /** The value the node produces (several config variants can share it; the key is unique). */
  name: string;
  kind: NodeKind;
  /** Return type text ('' when unknown). */
  type: string;
  doc: string;
  tags: Record<string, string | readonly string[]>;
  module: string;
  fn: string;
  field?: string;
  checks: readonly ManifestCheck[];
  when: readonly ManifestCondition[];
  /** `when` as text, '' when unconditional. */
  condition: string;
  cache: CacheBehavior;
  gate?: string;
  async: boolean;
  codeVersion: string;
  source?: SourceLocation;
  requested: boolean;
  override: boolean;
  excluded: boolean;
  /** Referenced as a dependency but not declared in the manifest. */
  missing: boolean;
  /** Fill colour the other renderers use (outcome, tag, or kind colour). */
  color: string;
  tagValue?: string;
  outcome?: NodeOutcome;
  durationMs?: number;
  cacheHit?: boolean;
  error?: string;
};

export type VizEdgeAttributes = {
  params: readonly string[];
  optional: boolean;
  type: string;
  excluded: boolean;
};

export type VizGraphAttributes = {
  dataflow: string;
  title: string;
  colorTag?: string;
  hasRun: boolean;
  unmatchedRunNodes: readonly string[];
};

export type VizGraph = DirectedGraph<VizNodeAttributes, VizEdgeAttributes, VizGraphAttributes>;
export type SerializedVizGraph = ReturnType<VizGraph['export']>;

/**
 * Builds the graphology `DirectedGraph` of the dataflow, with the view attributes every renderer uses.
 *
 * @example
 * ```ts
 * const graph = toGraph(manifest, { run: result });
 * graph.filterNodes((_, a) => a.outcome === 'failed');
 * ```
 */
export function toGraph(manifest: Manifest, opts: VizOptions = {}): VizGraph {
  const model = buildVizModel(manifest, opts);
  const graph: VizGraph = new DirectedGraph<VizNodeAttributes, VizEdgeAttributes, VizGraphAttributes>();
  graph.replaceAttributes({
    dataflow: model.dataflow,
    title: model.title,
    ...(model.colorTag !== undefined ? { colorTag: model.colorTag } : {}),
    hasRun: model.hasRun,
    unmatchedRunNodes: [...model.unmatchedRunNodes],
  });
  for (const n of model.nodes) {
    const node = n.node;
    graph.addNode(n.id, {
      name: n.name,
      kind: node.kind,
      type: node.type,
      doc: node.doc,
      tags: { ...node.tags },
      module: node.module,
      fn: node.fn,
      ...(node.field !== undefined ? { field: node.field } : {}),
      checks: node.checks,
      when: node.when,
      condition: n.condition,
      cache: node.cache,
      ...(node.gate !== undefined ? { gate: node.gate } : {}),
      async: node.async,
      codeVersion: node.codeVersion,
      ...(node.source ? { source: node.source } : {}),
      requested: n.requested,
      override: n.override,
      excluded: n.excluded,
      missing: n.missing,
      color: n.fill,
      ...(n.tagValue !== undefined ? { tagValue: n.tagValue } : {}),
      ...(n.run
        ? {
            outcome: n.run.outcome,
            durationMs: n.run.durationMs,
            cacheHit: n.run.cacheHit,
            ...(n.run.error !== undefined ? { error: n.run.error } : {}),
          }
        : {}),
    });
  }
  for (const e of model.edges) {
    graph.addDirectedEdgeWithKey(e.id, e.source, e.target, {
      params: e.params,
      optional: e.optional,
      type: e.type,
      excluded: e.excluded,
    });
  }
  return graph;
}

/**
 * The graphology serialization (`graph.export()`) of the dataflow: plain JSON, re-importable with
 * `DirectedGraph.from(json)`.
 *
 * @example
 * ```ts
 * import { DirectedGraph } from 'graphology';
 * const json = toGraphJSON(manifest, { finalVars: ['report'] });
 * const graph = DirectedGraph.from(json);
 * graph.getNodeAttribute('report', 'requested'); // true
 * ```
 */
export function toGraphJSON(manifest: Manifest, opts: VizOptions = {}): SerializedVizGraph {
  return toGraph(manifest, opts).export();
}
