import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { EXCLUDED_FILL, OUTCOME_COLORS, OVERRIDE_BORDER } from '../../viz/colors.ts';
import { toDot } from '../../viz/index.ts';
import { ODD_ESCAPES, ODD_QUOTE, ODD_UNICODE, shopManifest, shopRun } from './fixtures/shop-manifest.ts';

/** Statements of the DOT this module writes: one per line, `"id" [attrs];` or `"a" -> "b" [attrs];`. */
const QUOTED = String.raw`"((?:[^"\\]|\\.)*)"`;
const NODE_LINE = new RegExp(String.raw`^  ${QUOTED} \[(.*)\];$`);
const EDGE_LINE = new RegExp(String.raw`^  ${QUOTED} -> ${QUOTED}(?: \[(.*)\])?;$`);

/** Undoes DOT label escaping: `\"` -> `"`, `\\` -> `\`, `\n` -> line break. */
function unescape(s: string): string {
  return s.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
}

/** Parses `key=value, key="quoted, value"` attribute lists (HTML-like `<...>` values kept whole). */
function attrs(list: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /(\w+)=("(?:[^"\\]|\\.)*"|<.*>(?=, \w+=|$)|[^,\s]+)/g;
  for (const m of (list ?? '').matchAll(re)) {
    const v = m[2];
    out[m[1]] = v.startsWith('"') ? unescape(v.slice(1, -1)) : v;
  }
  return out;
}

function parse(dot: string) {
  const nodes = new Map<string, Record<string, string>>();
  const edges: { from: string; to: string; attrs: Record<string, string> }[] = [];
  for (const line of dot.split('\n')) {
    const e = EDGE_LINE.exec(line);
    if (e) {
      edges.push({ from: unescape(e[1]), to: unescape(e[2]), attrs: attrs(e[3]) });
      continue;
    }
    const n = NODE_LINE.exec(line);
    if (n) nodes.set(unescape(n[1]), attrs(n[2]));
  }
  return { nodes, edges };
}

const opts = { finalVars: ['end'], overrides: ['total'], config: { engine: 'fast' } };

describe('toDot', () => {
  const dot = toDot(shopManifest, opts);
  const { nodes, edges } = parse(dot);

  it('declares every node once, keyed by name (variants by function name), plus the legend', () => {
    const ids = [...nodes.keys()].filter((id) => id !== 'legend');
    expect(ids.sort()).toEqual(
      ['ordersPath', 'fxRates', 'rawOrders', 'orderStats', 'total', 'count', 'typeReview', 'cleanOrders',
        'forecast__fast', 'forecast__exact', ODD_QUOTE, ODD_UNICODE, ODD_ESCAPES, 'end'].sort(),
    );
    expect(dot.startsWith('digraph "shop" {')).toBe(true);
    expect(dot.trimEnd().endsWith('}')).toBe(true);
  });

  it('draws one edge per dependency, to every variant of a shared name', () => {
    const expected = new Set<string>();
    for (const n of shopManifest.nodes) {
      const target = shopManifest.nodes.filter((m) => m.name === n.name).length > 1 ? n.fn : n.name;
      for (const d of n.deps) {
        for (const src of shopManifest.nodes.filter((m) => m.name === d.name)) {
          const source = shopManifest.nodes.filter((m) => m.name === src.name).length > 1 ? src.fn : src.name;
          expected.add(`${source} -> ${target}`);
        }
      }
    }
    expect(new Set(edges.map((e) => `${e.from} -> ${e.to}`))).toEqual(expected);
    expect(edges).toHaveLength(expected.size);
    const renamed = edges.find((e) => e.from === 'fxRates' && e.to === ODD_QUOTE)!;
    expect(renamed.attrs.label).toBe('rates');
    expect(renamed.attrs.style).toBe('dashed');
  });

  it('labels nodes `name\\n: type` and styles them by kind', () => {
    expect(nodes.get('rawOrders')!.label).toBe('rawOrders\n: Order[]');
    expect(nodes.get('ordersPath')!).toMatchObject({ shape: 'parallelogram', style: 'filled,dashed' });
    expect(nodes.get('typeReview')!.shape).toBe('hexagon');
    expect(nodes.get('typeReview')!.label).toContain('gate: type_review');
    expect(nodes.get('count')!).toMatchObject({ shape: 'record', label: 'count|: number' });
    expect(nodes.get('cleanOrders')!.style).toBe('rounded,filled');
    // Long object types are shortened inside the node, in full in the tooltip.
    expect(nodes.get('orderStats')!.label.length).toBeLessThan(70);
    expect(nodes.get('orderStats')!.label).toContain('…');
    expect(nodes.get('orderStats')!.tooltip).toContain('share: number');
  });

  it('highlights requested outputs, marks overrides, greys config-excluded variants', () => {
    expect(nodes.get('end')!).toMatchObject({ penwidth: '3', fontname: 'Helvetica-Bold' });
    expect(nodes.get('total')!).toMatchObject({ peripheries: '2', color: OVERRIDE_BORDER });
    expect(nodes.get('total')!.label).toContain('(override)');
    expect(nodes.get('forecast__exact')!.fillcolor).toBe(EXCLUDED_FILL);
    expect(nodes.get('forecast__exact')!.label).toBe('forecast\n: Forecast\nexcluded: needs engine!=fast');
    expect(nodes.get('forecast__fast')!.label).toBe('forecast\n: Forecast\nwhen engine=fast');
    expect(edges.find((e) => e.from === 'forecast__exact' && e.to === 'end')!.attrs.style).toBe('dotted');
  });

  it('fills nodes with one stable colour per tag value and explains them in the legend', () => {
    const fill = (id: string) => nodes.get(id)!.fillcolor;
    expect(fill('orderStats')).toBe(fill('total'));
    expect(fill('end')).toBe(fill(ODD_QUOTE));
    const stages = new Set(['rawOrders', 'orderStats', 'typeReview', 'forecast__fast', 'end'].map(fill));
    expect(stages.size).toBe(5);
    expect(toDot(shopManifest, opts)).toBe(dot);
    const legend = nodes.get('legend')!;
    expect(legend.shape).toBe('plain');
    const example = { staging: 'rawOrders', profiling: 'orderStats', typing: 'cleanOrders', modelling: 'forecast__fast', reporting: 'end' };
    for (const [stage, id] of Object.entries(example)) {
      expect(legend.label).toContain(`bgcolor="${fill(id)}"></td><td align="left">stage=${stage}</td>`);
    }
  });

  it('escapes quotes, backslashes and line breaks, and keeps unicode and angle brackets as text', () => {
    expect(dot).toContain(String.raw`  "revenue \"gross\" <EUR>" [label="revenue \"gross\" <EUR>\n: Money<\"EUR\">"`);
    expect(dot).toContain(String.raw`  "back\\slash\nnew line" [label="back\\slash\nnew line\n: string"`);
    expect(dot).toContain(`"${ODD_UNICODE}" [label="${ODD_UNICODE}\\n: Map<string, number>"`);
    expect(nodes.get(ODD_ESCAPES)!.tooltip).toContain('backslash\\N');
    // No raw line break inside any statement.
    for (const line of dot.split('\n').slice(1, -2)) expect(line).toMatch(/^  .*[;\]{]$|^  (graph|node|edge) \[/);
  });

  it('overlays a run: fills by outcome and prints outcome and duration', () => {
    const run = parse(toDot(shopManifest, { ...opts, overrides: [], run: shopRun })).nodes;
    expect(run.get('cleanOrders')!.fillcolor).toBe(OUTCOME_COLORS.failed);
    expect(run.get('rawOrders')!.fillcolor).toBe(OUTCOME_COLORS.done);
    expect(run.get('orderStats')!.fillcolor).toBe(OUTCOME_COLORS.cached);
    expect(run.get('typeReview')!.fillcolor).toBe(OUTCOME_COLORS.awaiting_review);
    expect(run.get('forecast__fast')!.fillcolor).toBe(OUTCOME_COLORS.skipped);
    // The skipped record belongs to the variant that holds, not the excluded one.
    expect(run.get('forecast__exact')!.fillcolor).toBe(EXCLUDED_FILL);
    expect(run.get('cleanOrders')!.label).toBe('cleanOrders\n: CleanOrder[]\nfailed · 1.2 s');
    expect(run.get('rawOrders')!.label).toContain('done · 42 ms');
    expect(run.get('cleanOrders')!.tooltip).toContain('error: column "amount" is not numeric');
    expect(run.get('legend')!.label).toContain('>failed</td>');
    expect(run.get('legend')!.label).toContain('>not run</td>');
  });

  const hasDot = spawnSync('which', ['dot']).status === 0;
  it(`is accepted by Graphviz${hasDot ? '' : ' (dot not installed: checked by the parser above only)'}`, () => {
    if (!hasDot) return;
    for (const variant of [dot, toDot(shopManifest, { ...opts, run: shopRun, direction: 'TD' })]) {
      const svg = execFileSync('dot', ['-Tsvg'], { input: variant, encoding: 'utf8' });
      // Graphviz names each node's SVG group by its id: the odd ids made it through intact.
      for (const title of ['revenue &quot;gross&quot; &lt;EUR&gt;', ODD_UNICODE, 'forecast__exact', 'end']) {
        expect(svg).toContain(`<title>${title}</title>`);
      }
      expect(svg.match(/<g id="node\d+" class="node">/g)).toHaveLength(shopManifest.nodes.length + 1);
      // Label text is drawn decoded: one backslash, a real line break (two text lines), quotes.
      expect(svg).toMatch(/>back\\slash<\/text>/);
      expect(svg).toMatch(/>new line<\/text>/);
      expect(svg).toMatch(/>revenue &quot;gross&quot; &lt;EUR&gt;<\/text>/);
    }
  });
});
