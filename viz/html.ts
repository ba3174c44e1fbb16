/**
 * One self-contained HTML file: the graph data as JSON, elkjs and a small viewer, all inline.
 * The browser lays the graph out with ELK's layered algorithm and draws SVG with pan/zoom, search,
 * a legend and a details panel. Nothing is fetched: the page works offline and from file://.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Manifest } from '../engine/index.ts';
import {
  EXCLUDED_FILL, EXCLUDED_INK, KIND_COLORS, NOT_RUN_COLOR, OUTCOME_BORDERS, OUTCOME_COLORS, OUTCOME_LABELS, OUTCOMES,
  OVERRIDE_BORDER, REQUESTED_BORDER,
} from './colors.ts';
import { formatDuration, shortType } from './labels.ts';
import { buildVizModel, nodeNotes } from './model.ts';
import type { VizModel } from './model.ts';
import type { VizOptions } from './options.ts';

/** Above this many nodes the page says so and uses ELK settings that trade polish for speed. */
export const LARGE_GRAPH_NODES = 2000;

/**
 * Renders the dataflow as one self-contained HTML page (open it in any browser, offline).
 * Every drawn node carries `data-node="<name>"`; the SVG gets `data-ready="true"` once laid out.
 *
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * import { toHtml } from 'dataraum/viz';
 * writeFileSync('ingest.html', toHtml(manifest, { finalVars: ['contextDocument'], run: result }));
 * ```
 */
export function toHtml(manifest: Manifest, opts: VizOptions = {}): string {
  const model = buildVizModel(manifest, opts);
  const data = pageData(model);
  const title = escapeHtml(model.title);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="dataraum viz">
<title>${title} · dataraum</title>
<style>${asset('page.css')}</style>
</head>
<body>
<header>
  <h1>${title}</h1>
  <span class="stats">${model.nodes.length} nodes · ${model.edges.length} edges</span>
  <input id="search" type="search" placeholder="Find a node  ( / )" autocomplete="off" list="node-names" aria-label="Find a node">
  <datalist id="node-names"></datalist>
  <span id="search-count" aria-live="polite"></span>
  <span class="buttons"><button id="zoom-in" title="Zoom in">+</button><button id="zoom-out" title="Zoom out">−</button><button id="fit" title="Fit the graph to the window">Fit</button></span>
</header>
<div id="notice" hidden></div>
<main>
  <div id="canvas">
    <svg id="graph" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${title} dataflow graph"><defs></defs><g id="viewport"></g></svg>
    <div id="status">Laying out ${model.nodes.length} nodes…</div>
  </div>
  <aside id="panel" aria-live="polite"><p class="hint">Click a node to see its details.</p></aside>
</main>
<footer id="legend"></footer>
<script type="application/json" id="dataraum-graph-data">${jsonForScript(data)}</script>
<script>${scriptText(elkSource())}</script>
<script>${scriptText(asset('client.js'))}</script>
</body>
</html>
`;
}

/** What the viewer needs, pre-computed here so the browser code stays a drawing loop. */
function pageData(model: VizModel): unknown {
  return {
    title: model.title,
    dataflow: model.dataflow,
    direction: model.direction,
    large: model.nodes.length > LARGE_GRAPH_NODES,
    largeThreshold: LARGE_GRAPH_NODES,
    hasRun: model.hasRun,
    hasConfig: model.hasConfig,
    colorTag: model.colorTag ?? null,
    tagLegend: model.tagLegend,
    unmatchedRunNodes: model.unmatchedRunNodes,
    colors: {
      outcome: OUTCOME_COLORS,
      outcomeBorder: OUTCOME_BORDERS,
      outcomeLabel: OUTCOME_LABELS,
      outcomes: OUTCOMES,
      kind: KIND_COLORS,
      notRun: NOT_RUN_COLOR,
      excludedFill: EXCLUDED_FILL,
      excludedInk: EXCLUDED_INK,
      requested: REQUESTED_BORDER,
      override: OVERRIDE_BORDER,
    },
    nodes: model.nodes.map((n) => ({
      id: n.id,
      name: n.name,
      kind: n.node.kind,
      type: n.node.type,
      shortType: shortType(n.node.type),
      doc: n.node.doc,
      tags: n.node.tags,
      deps: n.node.deps,
      module: n.node.module,
      fn: n.node.fn,
      field: n.node.field ?? null,
      source: n.node.source ?? null,
      checks: n.node.checks,
      when: n.node.when,
      condition: n.condition,
      cache: n.node.cache,
      gate: n.node.gate ?? null,
      async: n.node.async,
      requested: n.requested,
      override: n.override,
      excluded: n.excluded,
      missing: n.missing,
      fill: n.fill,
      tagValue: n.tagValue ?? null,
      notes: nodeNotes(n),
      run: n.run ? { ...n.run, duration: formatDuration(n.run.durationMs) } : null,
    })),
    edges: model.edges.map((e) => ({
      id: e.id,
      source: e.source,
      target: e.target,
      params: e.params,
      optional: e.optional,
      excluded: e.excluded,
    })),
  };
}

/**
 * JSON that is safe inside `<script type="application/json">`: `<`, `>` and `&` become `\u` escapes,
 * so neither `</script>` nor `<!--` in a name or doc can end or alter the script element, and
 * U+2028/U+2029 are escaped for older parsers. `JSON.parse` reads the escapes back unchanged.
 *
 * @example
 * ```ts
 * jsonForScript({ doc: '</script>' }); // '{"doc":"\u003c/script\u003e"}'
 * ```
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Inline script text: a literal `</script` or `<!--` would end or confuse the element. */
function scriptText(js: string): string {
  return js.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const assets = new Map<string, string>();

/** Viewer assets live beside this module as plain files, so they read (and lint) as CSS and JS. */
function asset(name: 'page.css' | 'client.js'): string {
  let text = assets.get(name);
  if (text === undefined) {
    text = readFileSync(new URL(`./html/${name}`, import.meta.url), 'utf8');
    assets.set(name, text);
  }
  return text;
}

let elk: string | undefined;

function elkSource(): string {
  if (elk === undefined) {
    const path = createRequire(import.meta.url).resolve('elkjs/lib/elk.bundled.js');
    try {
      elk = readFileSync(path, 'utf8');
    } catch (err) {
      throw new Error(`viz: cannot read the ELK layout bundle at ${path}; reinstall the 'elkjs' package`, { cause: err });
    }
  }
  return elk;
}
