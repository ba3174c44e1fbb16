/**
 * DAG visualization for dataraum dataflows: Graphviz DOT, Mermaid, graphology JSON and a
 * self-contained HTML viewer, each with the same emphasis (requested outputs, overrides, config
 * exclusions, tags) and an optional run overlay.
 *
 * @example
 * ```ts
 * import { render } from 'dataraum/viz';
 * import ingest from './dataflows/ingest/manifest.generated.ts';
 * process.stdout.write(render('mermaid', ingest.manifest, { finalVars: ['contextDocument'] }));
 * ```
 */
import type { Manifest } from '../engine/index.ts';
import { toDot } from './dot.ts';
import { toGraphJSON } from './graph-json.ts';
import { toHtml } from './html.ts';
import { toMermaid } from './mermaid.ts';
import type { VizOptions } from './options.ts';

export type { VizOptions } from './options.ts';
export { toDot, dotId } from './dot.ts';
export { toMermaid, mermaidId } from './mermaid.ts';
export { toGraph, toGraphJSON } from './graph-json.ts';
export type { SerializedVizGraph, VizEdgeAttributes, VizGraph, VizGraphAttributes, VizNodeAttributes } from './graph-json.ts';
export { toHtml, jsonForScript, LARGE_GRAPH_NODES } from './html.ts';
export { buildVizModel, nodeNotes } from './model.ts';
export type { VizEdge, VizModel, VizNode } from './model.ts';
export { OUTCOME_COLORS, OUTCOME_BORDERS, OUTCOME_LABELS, TAG_PALETTE, tagColors } from './colors.ts';
export { conditionText, conditionsHold, formatDuration, shortType } from './labels.ts';

export type VizFormat = 'dot' | 'mermaid' | 'json' | 'html';

export const VIZ_FORMATS: readonly VizFormat[] = Object.freeze(['dot', 'mermaid', 'json', 'html']);

/**
 * Renders `manifest` in `format` as text (`json` is the pretty-printed graphology export).
 *
 * @example
 * ```ts
 * writeFileSync('graph.html', render('html', manifest, { run: result }));
 * ```
 */
export function render(format: VizFormat, manifest: Manifest, opts: VizOptions = {}): string {
  switch (format) {
    case 'dot':
      return toDot(manifest, opts);
    case 'mermaid':
      return toMermaid(manifest, opts);
    case 'json':
      return JSON.stringify(toGraphJSON(manifest, opts), null, 2) + '\n';
    case 'html':
      return toHtml(manifest, opts);
    default:
      throw new Error(`viz: unknown format '${String(format)}'; use one of ${VIZ_FORMATS.join(', ')}`);
  }
}
