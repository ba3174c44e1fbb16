/**
 * Mermaid `flowchart` text, for Markdown that GitHub, GitLab and most doc sites render.
 * Node ids are an injective ASCII encoding of the node key, so any name (quotes, unicode,
 * Mermaid keywords such as `end`) is safe; labels are entity-encoded.
 */
import type { Manifest, NodeKind } from '../engine/index.ts';
import {
  EXCLUDED_FILL, EXCLUDED_INK, KIND_COLORS, OUTCOME_BORDERS, OUTCOME_COLORS, OUTCOMES,
  OVERRIDE_BORDER, REQUESTED_BORDER,
} from './colors.ts';
import { shortType } from './labels.ts';
import { buildVizModel, nodeNotes } from './model.ts';
import type { VizNode } from './model.ts';
import type { VizOptions } from './options.ts';

/**
 * Renders the dataflow as a Mermaid flowchart (`flowchart LR`, or `TD` with `direction: 'TD'`).
 *
 * @example
 * ```ts
 * import { toMermaid } from 'dataraum/viz';
 * const md = '```mermaid\n' + toMermaid(manifest, { finalVars: ['report'] }) + '```\n';
 * ```
 */
export function toMermaid(manifest: Manifest, opts: VizOptions = {}): string {
  const model = buildVizModel(manifest, opts);
  const out: string[] = [];
  if (opts.title !== undefined) out.push('---', `title: ${JSON.stringify(model.title)}`, '---');
  out.push(`flowchart ${model.direction}`);
  for (const n of model.nodes) out.push(`  ${mermaidId(n.id)}${shape(n.node.kind, label(n, model.colorTag))}`);
  for (const e of model.edges) {
    const arrow = e.excluded || e.optional ? '-.->' : '-->';
    const sourceName = model.nodes.find((n) => n.id === e.source)?.name;
    const renamed = e.params.filter((p) => p !== sourceName);
    const text = renamed.length ? `|"${mermaidText(renamed.join(', '))}"|` : '';
    out.push(`  ${mermaidId(e.source)} ${arrow}${text} ${mermaidId(e.target)}`);
  }

  out.push(
    `  classDef function fill:${KIND_COLORS.function},stroke:#495057,color:#212529`,
    `  classDef input fill:${KIND_COLORS.input},stroke:#495057,stroke-dasharray:5 3,color:#212529`,
    `  classDef gate fill:${KIND_COLORS.gate},stroke:#495057,color:#212529`,
    `  classDef extract fill:${KIND_COLORS.extract},stroke:#868e96,color:#212529,font-size:11px`,
    `  classDef requested stroke:${REQUESTED_BORDER},stroke-width:3px,font-weight:bold`,
    `  classDef override stroke:${OVERRIDE_BORDER},stroke-width:3px,stroke-dasharray:2 2`,
    `  classDef excluded fill:${EXCLUDED_FILL},stroke:${EXCLUDED_INK},color:${EXCLUDED_INK},stroke-dasharray:4 4`,
    `  classDef missing fill:#fff0f3,stroke:#c9184a,color:#c9184a,stroke-dasharray:4 4`,
    `  classDef notRun fill:#ffffff,stroke:#adb5bd,color:#6c757d`,
  );
  for (const o of OUTCOMES) out.push(`  classDef ${o} fill:${OUTCOME_COLORS[o]},stroke:${OUTCOME_BORDERS[o]},color:#212529`);

  // Later `class` lines win in Mermaid, so the order is: kind, then overlay, then marks.
  const groups = new Map<string, string[]>();
  const add = (cls: string, n: VizNode): void => {
    const list = groups.get(cls);
    if (list) list.push(mermaidId(n.id));
    else groups.set(cls, [mermaidId(n.id)]);
  };
  for (const n of model.nodes) add(n.node.kind, n);
  for (const n of model.nodes) {
    if (n.missing) add('missing', n);
    else if (n.excluded) add('excluded', n);
    else if (n.run) add(n.run.outcome, n);
    else if (model.hasRun) add('notRun', n);
  }
  for (const n of model.nodes) if (n.requested) add('requested', n);
  for (const n of model.nodes) if (n.override) add('override', n);
  for (const [cls, ids] of groups) out.push(`  class ${ids.join(',')} ${cls}`);

  // Tag colours only without a run overlay: then the outcome is what the reader looks for.
  if (!model.hasRun) {
    for (const n of model.nodes) {
      if (n.tagColor && !n.excluded && !n.missing) out.push(`  style ${mermaidId(n.id)} fill:${n.tagColor}`);
    }
  }
  return out.join('\n') + '\n';
}

function label(n: VizNode, colorTag: string | undefined): string {
  const lines = [n.requested ? `<b>${mermaidText(n.name)}</b>` : mermaidText(n.name)];
  const type = shortType(n.node.type);
  if (type) lines.push(`<i>: ${mermaidText(type)}</i>`);
  // Mermaid has no legend: say which tag the fill colour stands for.
  if (n.tagValue !== undefined && !n.run && colorTag !== undefined) lines.push(mermaidText(`${colorTag}=${n.tagValue}`));
  for (const note of nodeNotes(n)) lines.push(mermaidText(note));
  return lines.join('<br/>');
}

function shape(kind: NodeKind, text: string): string {
  switch (kind) {
    case 'input':
      return `[/"${text}"/]`;
    case 'gate':
      return `{{"${text}"}}`;
    case 'extract':
      return `[["${text}"]]`;
    default:
      return `("${text}")`;
  }
}

/**
 * An injective ASCII id for a node key: letters and digits stay, `_` doubles, anything else
 * becomes `_<hex code point>_`; the `n_` prefix keeps ids clear of keywords (`end`) and of the
 * `o`/`x` edge endings.
 *
 * @example
 * ```ts
 * mermaidId('end'); // 'n_end'
 * mermaidId('a"b'); // 'n_a_22_b'
 * ```
 */
export function mermaidId(key: string): string {
  let out = 'n_';
  for (const ch of key) {
    if (/[A-Za-z0-9]/.test(ch)) out += ch;
    else if (ch === '_') out += '__';
    else out += `_${ch.codePointAt(0)!.toString(16)}_`;
  }
  return out;
}

/** Text inside a quoted Mermaid label: entity codes for everything Mermaid or HTML would read. */
function mermaidText(s: string): string {
  return s
    .replace(/#/g, '#35;')
    .replace(/&/g, '#38;')
    .replace(/"/g, '#quot;')
    .replace(/</g, '#lt;')
    .replace(/>/g, '#gt;')
    .replace(/`/g, '#96;')
    .replace(/\\/g, '#92;')
    .replace(/\r\n|\r|\n/g, ' ');
}
