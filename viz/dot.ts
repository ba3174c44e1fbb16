/**
 * Graphviz DOT in the style of Apache Hamilton's pictures: inputs dashed parallelograms, requested
 * outputs bold, overrides double-bordered, gates hexagons, extracted fields small records, tags as
 * fill colours with a legend, and an optional run overlay (outcome colours and durations).
 */
import type { Manifest } from '../engine/index.ts';
import {
  EXCLUDED_FILL, EXCLUDED_INK, KIND_COLORS, OUTCOME_BORDERS, OUTCOME_COLORS, OUTCOME_LABELS, OUTCOMES,
  OVERRIDE_BORDER, REQUESTED_BORDER,
} from './colors.ts';
import { shortType } from './labels.ts';
import { buildVizModel, nodeNotes } from './model.ts';
import type { VizModel, VizNode } from './model.ts';
import type { VizOptions } from './options.ts';

/**
 * Renders the dataflow as Graphviz DOT text (`dot -Tsvg graph.dot > graph.svg`).
 *
 * @example
 * ```ts
 * import { toDot } from 'dataraum/viz';
 * const dot = toDot(manifest, { finalVars: ['report'], run: result });
 * writeFileSync('graph.dot', dot);
 * ```
 */
export function toDot(manifest: Manifest, opts: VizOptions = {}): string {
  const model = buildVizModel(manifest, opts);
  const names = new Map(model.nodes.map((n) => [n.id, n.name]));
  const out: string[] = [];
  out.push(`digraph ${dotId(model.dataflow || 'dataflow')} {`);
  out.push(
    `  graph [rankdir=${model.direction === 'TD' ? 'TB' : 'LR'}, fontname="Helvetica", fontsize=16, ` +
      `label=${dotId(model.title)}, labelloc=t, labeljust=l, nodesep=0.25, ranksep=0.45, charset="UTF-8"];`,
  );
  out.push(
    `  node [fontname="Helvetica", fontsize=11, shape=box, style="rounded,filled", color="#495057", ` +
      `fillcolor="#ffffff", margin="0.14,0.06"];`,
  );
  out.push(`  edge [color="#6c757d", arrowsize=0.7];`);
  for (const n of model.nodes) out.push(`  ${dotId(n.id)} [${nodeAttrs(n, model).join(', ')}];`);
  for (const e of model.edges) {
    const attrs: string[] = [];
    // Only a parameter that differs from the value's name (`@parameterize`) needs an edge label.
    const renamed = e.params.filter((p) => p !== names.get(e.source));
    if (renamed.length) attrs.push(`label=${dotId(renamed.join(', '))}`, 'fontsize=9', 'fontcolor="#6c757d"');
    if (e.excluded) attrs.push(`color="${EXCLUDED_INK}"`, 'style=dotted');
    else if (e.optional) attrs.push('style=dashed');
    if (e.type) attrs.push(`tooltip=${dotId(`${e.params.join(', ')}: ${e.type}`)}`);
    out.push(`  ${dotId(e.source)} -> ${dotId(e.target)}${attrs.length ? ` [${attrs.join(', ')}]` : ''};`);
  }
  const legend = legendLabel(model);
  if (legend) out.push(`  ${dotId(legendId(model))} [shape=plain, style="", label=<${legend}>];`);
  out.push('}');
  return out.join('\n') + '\n';
}

function nodeAttrs(n: VizNode, model: VizModel): string[] {
  const node = n.node;
  const type = shortType(node.type);
  const lines = [n.name, ...(type ? [`: ${type}`] : []), ...nodeNotes(n)];
  const attrs: string[] = [];
  const style: string[] = ['filled'];
  if (node.kind === 'extract') {
    // Record fields stack across the rank direction, so `{...}` flips them for top-down layouts.
    const inner = lines.map((f) => escapeRecord(escapeLabel(f))).join('|');
    attrs.push('shape=record', 'fontsize=9', 'height=0.3', `label="${model.direction === 'TD' ? `{${inner}}` : inner}"`);
  } else {
    attrs.push(`label=${dotId(lines.join('\n'))}`);
    if (node.kind === 'function') style.unshift('rounded');
    if (node.kind === 'input') {
      attrs.push('shape=parallelogram', 'margin="0.02,0.02"');
      style.push('dashed');
    }
    if (node.kind === 'gate') attrs.push('shape=hexagon', 'margin="0.02,0.02"');
  }

  let fill = n.fill;
  if (n.missing) {
    style.push('dashed');
    attrs.push('color="#c9184a"', 'fontcolor="#c9184a"');
  } else if (n.excluded) {
    fill = EXCLUDED_FILL;
    style.push('dashed');
    attrs.push(`color="${EXCLUDED_INK}"`, `fontcolor="${EXCLUDED_INK}"`);
  } else if (n.override) {
    attrs.push(`color="${OVERRIDE_BORDER}"`);
  } else if (n.run) {
    attrs.push(`color="${OUTCOME_BORDERS[n.run.outcome]}"`);
  } else if (model.hasRun) {
    attrs.push('fontcolor="#6c757d"', 'color="#adb5bd"');
  } else if (n.requested) {
    attrs.push(`color="${REQUESTED_BORDER}"`);
  }
  if (n.requested) attrs.push('penwidth=3', 'fontname="Helvetica-Bold"');
  if (n.override) attrs.push('peripheries=2');
  attrs.push(`style="${[...new Set(style)].join(',')}"`, `fillcolor="${fill}"`, `tooltip=${dotId(tooltip(n))}`);
  return attrs;
}

function tooltip(n: VizNode): string {
  const node = n.node;
  const parts = [`${n.name} (${node.kind})`];
  if (node.type) parts.push(`: ${node.type}`);
  if (node.doc) parts.push(node.doc);
  const tags = Object.entries(node.tags).map(([k, v]) => `${k}=${typeof v === 'string' ? v : v.join(',')}`);
  if (tags.length) parts.push(`tags: ${tags.join(' ')}`);
  if (node.source) parts.push(`${node.source.file}:${node.source.line}`);
  if (n.run?.error) parts.push(`error: ${n.run.error}`);
  return parts.join('\n');
}

/**
 * A DOT double-quoted string. Backslashes are doubled so that label escapes (`\N`, `\l`) in names
 * stay literal, quotes are escaped, and line breaks become the `\n` label escape. DOT files are
 * UTF-8, so other characters (including `<`, `>` and non-ASCII) pass through unchanged.
 *
 * @example
 * ```ts
 * dotId('say "hi"'); // '"say \\"hi\\""'
 * ```
 */
export function dotId(s: string): string {
  return `"${escapeLabel(s)}"`;
}

function escapeLabel(s: string): string {
  return s
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\r\n|\r|\n/g, '\\n')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, ' ');
}

/** Record labels also give `{ } | < >` a meaning: escape them so names containing them stay text. */
function escapeRecord(s: string): string {
  return s.replace(/[{}|<>]/g, '\\$&');
}

/** HTML-like label text (used by the legend). */
function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function legendId(model: VizModel): string {
  const ids = new Set(model.nodes.map((n) => n.id));
  let id = 'legend';
  while (ids.has(id)) id = `_${id}`;
  return id;
}

/** One HTML-like table node: swatch + meaning per row, only for what the graph actually shows. */
function legendLabel(model: VizModel): string {
  const rows: string[] = [];
  const row = (fill: string, text: string, extra = ''): void => {
    rows.push(
      `<tr><td width="18" height="12" bgcolor="${fill}"${extra}></td><td align="left">${escapeHtml(text)}</td></tr>`,
    );
  };
  const kinds = new Set(model.nodes.map((n) => n.node.kind));
  if (kinds.has('input')) row(KIND_COLORS.input, 'input (dashed parallelogram)');
  if (kinds.has('gate')) row(KIND_COLORS.gate, 'review gate (hexagon)');
  if (kinds.has('extract')) row(KIND_COLORS.extract, 'extracted field (record)');
  if (model.nodes.some((n) => n.requested)) row('#ffffff', 'requested output (bold)', ' border="3"');
  if (model.nodes.some((n) => n.override)) row('#ffffff', 'override (double border)', ` color="${OVERRIDE_BORDER}" border="2"`);
  if (model.nodes.some((n) => n.excluded)) row(EXCLUDED_FILL, 'excluded by config');
  if (model.hasRun) {
    for (const o of OUTCOMES) if (model.nodes.some((n) => n.run?.outcome === o)) row(OUTCOME_COLORS[o], OUTCOME_LABELS[o]);
    row('#ffffff', 'not run');
  } else if (model.colorTag) {
    for (const t of model.tagLegend) row(t.color, `${model.colorTag}=${t.value}`);
  }
  if (!rows.length) return '';
  return (
    `<table border="0" cellborder="1" cellspacing="2" cellpadding="2">` +
    `<tr><td colspan="2" align="left"><b>Legend</b></td></tr>${rows.join('')}</table>`
  );
}
