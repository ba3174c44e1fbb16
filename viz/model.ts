/**
 * The renderer-neutral view of a manifest: which node is requested, overridden, excluded by
 * config, coloured by which tag, and how it ran. DOT, Mermaid, JSON and HTML all draw this model,
 * so they never disagree about what a node means.
 */
import { DataraumError, suggest } from '../engine/index.ts';
import type { Manifest, ManifestNode, NodeRunRecord } from '../engine/index.ts';
import { KIND_COLORS, NOT_RUN_COLOR, OUTCOME_COLORS, OUTCOME_LABELS, tagColors } from './colors.ts';
import { conditionText, conditionsHold, formatDuration } from './labels.ts';
import type { VizOptions } from './options.ts';

export interface VizNode {
  /** Unique key: the node name, or `name__fn` for config variants that share a name. */
  readonly id: string;
  readonly name: string;
  readonly node: ManifestNode;
  /** Referenced by a dependency but not declared in the manifest (drawn as a warning). */
  readonly missing: boolean;
  readonly requested: boolean;
  readonly override: boolean;
  /** `@when` conditions as text (`mode=fast & x!=y`), '' when unconditional. */
  readonly condition: string;
  /** Its conditions fail under the given config. */
  readonly excluded: boolean;
  /** Value of the colour tag, if the node carries it. */
  readonly tagValue?: string;
  readonly tagColor?: string;
  readonly run?: NodeRunRecord;
  /** Fill to draw: outcome colour with a run overlay, else tag colour, else the kind's colour. */
  readonly fill: string;
}

export interface VizEdge {
  readonly id: string;
  readonly source: string;
  readonly target: string;
  /** Parameter names of `target` this value feeds (several when `@parameterize` binds it twice). */
  readonly params: readonly string[];
  readonly optional: boolean;
  /** Parameter type text of the first parameter. */
  readonly type: string;
  /** An end of the edge is excluded by config. */
  readonly excluded: boolean;
}

export interface VizModel {
  readonly dataflow: string;
  readonly title: string;
  readonly direction: 'LR' | 'TD';
  readonly nodes: readonly VizNode[];
  readonly edges: readonly VizEdge[];
  /** The tag key that colours nodes, if any node is tagged. */
  readonly colorTag?: string;
  /** Tag value -> colour, sorted by value, for the legend. */
  readonly tagLegend: readonly { readonly value: string; readonly color: string }[];
  readonly hasRun: boolean;
  /** Run records whose node is not in the manifest (e.g. a run of an older build). */
  readonly unmatchedRunNodes: readonly string[];
  readonly hasConfig: boolean;
}

/**
 * Resolves `opts` against `manifest` into the model every renderer draws.
 * Throws `DataraumError('UNKNOWN_NODE')` when `finalVars` or `overrides` name nodes that do not exist.
 *
 * @example
 * ```ts
 * const model = buildVizModel(manifest, { finalVars: ['report'], config: { mode: 'fast' } });
 * model.nodes.filter((n) => n.excluded).map((n) => n.id);
 * ```
 */
export function buildVizModel(manifest: Manifest, opts: VizOptions = {}): VizModel {
  const byName = new Map<string, ManifestNode[]>();
  for (const n of manifest.nodes) {
    const list = byName.get(n.name);
    if (list) list.push(n);
    else byName.set(n.name, [n]);
  }
  checkNames(manifest, byName, opts.finalVars ?? [], 'finalVars');
  checkNames(manifest, byName, opts.overrides ?? [], 'overrides');

  const declared = [...manifest.nodes];
  // Dependencies on undeclared names still get drawn, so a broken manifest shows where it breaks.
  const missing = new Set<string>();
  for (const n of manifest.nodes) for (const d of n.deps) if (!byName.has(d.name)) missing.add(d.name);
  for (const name of missing) {
    const ghost: ManifestNode = {
      name, kind: 'input', module: '', fn: '', deps: [], type: '', doc: 'Not declared in the manifest',
      tags: {}, checks: [], when: [], codeVersion: '', cache: 'default', async: false,
    };
    declared.push(ghost);
    byName.set(name, [ghost]);
  }

  const ids = assignIds(declared, byName);
  const requested = new Set(opts.finalVars ?? []);
  const overrides = new Set(opts.overrides ?? []);
  const colorKey = opts.colorTag ?? pickColorTag(manifest.nodes);
  const runByName = new Map<string, NodeRunRecord>();
  for (const r of opts.run?.nodes ?? []) runByName.set(r.node, r);
  const hasRun = opts.run !== undefined;
  // A list-valued tag colours by its first value; all values stay visible in tooltips and panels.
  const tagValueOf = (node: ManifestNode): string | undefined => {
    const raw = colorKey === undefined ? undefined : node.tags[colorKey];
    return raw === undefined ? undefined : typeof raw === 'string' ? raw : raw[0];
  };
  const colors = tagColors(declared.map(tagValueOf).filter((v): v is string => v !== undefined));

  const nodes: VizNode[] = declared.map((node, i) => {
    const excluded = opts.config !== undefined && node.when.length > 0 && !conditionsHold(node.when, opts.config);
    const tagValue = tagValueOf(node);
    const color = tagValue === undefined ? undefined : colors.get(tagValue);
    // A run never executes an excluded variant, so its record belongs to the variant that holds.
    const run = excluded ? undefined : runByName.get(node.name);
    const fill = hasRun
      ? run ? OUTCOME_COLORS[run.outcome] : NOT_RUN_COLOR
      : color ?? KIND_COLORS[node.kind];
    return {
      id: ids[i],
      name: node.name,
      node,
      missing: missing.has(node.name),
      // Only the variant that runs is the requested output; an excluded one stays merely greyed.
      requested: requested.has(node.name) && !excluded,
      override: overrides.has(node.name),
      condition: conditionText(node.when),
      excluded,
      ...(tagValue !== undefined ? { tagValue, tagColor: color } : {}),
      ...(run ? { run } : {}),
      fill,
    };
  });

  const idsByName = new Map<string, string[]>();
  nodes.forEach((n) => {
    const list = idsByName.get(n.name);
    if (list) list.push(n.id);
    else idsByName.set(n.name, [n.id]);
  });
  const excludedIds = new Set(nodes.filter((n) => n.excluded).map((n) => n.id));
  const edgeMap = new Map<string, { source: string; target: string; params: string[]; optional: boolean; type: string }>();
  nodes.forEach((n) => {
    for (const dep of n.node.deps) {
      for (const source of idsByName.get(dep.name) ?? []) {
        const key = JSON.stringify([source, n.id]);
        const existing = edgeMap.get(key);
        if (existing) {
          existing.params.push(dep.param);
          existing.optional &&= dep.optional;
        } else {
          edgeMap.set(key, { source, target: n.id, params: [dep.param], optional: dep.optional, type: dep.type });
        }
      }
    }
  });
  const edgeIds = new Set<string>();
  const edges: VizEdge[] = [...edgeMap.values()].map((e) => {
    let id = `${e.source}->${e.target}`;
    for (let k = 2; edgeIds.has(id); k++) id = `${e.source}->${e.target}#${k}`;
    edgeIds.add(id);
    return { id, ...e, excluded: excludedIds.has(e.source) || excludedIds.has(e.target) };
  });

  const known = new Set(byName.keys());
  return {
    dataflow: manifest.dataflow,
    title: opts.title ?? manifest.dataflow,
    direction: opts.direction ?? 'LR',
    nodes,
    edges,
    ...(colorKey !== undefined && colors.size ? { colorTag: colorKey } : {}),
    tagLegend: [...colors].map(([value, color]) => ({ value, color })),
    hasRun,
    unmatchedRunNodes: (opts.run?.nodes ?? []).map((r) => r.node).filter((n) => !known.has(n)),
    hasConfig: opts.config !== undefined,
  };
}

function checkNames(manifest: Manifest, byName: Map<string, ManifestNode[]>, names: readonly string[], option: string): void {
  const unknown = names.filter((n) => !byName.has(n));
  if (!unknown.length) return;
  const lines = unknown.map((n) => {
    const hint = suggest(n, byName.keys());
    return `'${n}'${hint.length ? ` (did you mean ${hint.map((h) => `'${h}'`).join(', ')}?)` : ''}`;
  });
  throw new DataraumError(
    'UNKNOWN_NODE',
    `viz: ${option} names ${lines.join(', ')}, not a node of dataflow '${manifest.dataflow}'; pass names from the manifest`,
  );
}

/**
 * Unique keys: the name when one node produces it; for config variants sharing a name, the
 * variant's export name (`name__fast`) when that tells them apart, else `name[conditions]`,
 * with `#2`, `#3`... as the last resort (e.g. two `@parameterize` variants of one function).
 */
function assignIds(nodes: readonly ManifestNode[], byName: Map<string, ManifestNode[]>): string[] {
  const used = new Set<string>();
  for (const [name, list] of byName) if (list.length === 1) used.add(name);
  return nodes.map((n) => {
    const group = byName.get(n.name)!;
    if (group.length === 1) return n.name;
    const fnUnique = n.fn !== '' && n.fn !== n.name && group.filter((m) => m.fn === n.fn).length === 1;
    const base = fnUnique ? n.fn : `${n.name}[${conditionText(n.when) || 'always'}]`;
    let id = base;
    for (let k = 2; used.has(id); k++) id = `${base}#${k}`;
    used.add(id);
    return id;
  });
}

/** The tag key most nodes carry (ties broken alphabetically), or undefined when nothing is tagged. */
function pickColorTag(nodes: readonly ManifestNode[]): string | undefined {
  const counts = new Map<string, number>();
  for (const n of nodes) for (const k of Object.keys(n.tags)) counts.set(k, (counts.get(k) ?? 0) + 1);
  let best: string | undefined;
  let bestCount = 0;
  for (const [k, c] of [...counts].sort((a, b) => a[0].localeCompare(b[0]))) {
    if (c > bestCount) {
      best = k;
      bestCount = c;
    }
  }
  return best;
}

/**
 * The short lines drawn under a node's name and type: gate checkpoint, condition, override,
 * run outcome and duration. Every renderer shows the same notes.
 *
 * @example
 * ```ts
 * nodeNotes(model.nodes[0]); // ['when mode=fast', 'done · 12 ms']
 * ```
 */
export function nodeNotes(n: VizNode): string[] {
  const notes: string[] = [];
  if (n.node.kind === 'gate') notes.push(`gate${n.node.gate ? `: ${n.node.gate}` : ''}`);
  if (n.missing) notes.push('(not declared)');
  if (n.condition) notes.push(n.excluded ? `excluded: needs ${n.condition}` : `when ${n.condition}`);
  if (n.override) notes.push('(override)');
  if (n.run) {
    const d = formatDuration(n.run.durationMs);
    notes.push(`${OUTCOME_LABELS[n.run.outcome]}${d ? ` · ${d}` : ''}`);
  }
  return notes;
}
