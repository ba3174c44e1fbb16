import { describe, expect, it } from 'vitest';
import { mermaidId, toMermaid } from '../../viz/index.ts';
import { ODD_ESCAPES, ODD_QUOTE, ODD_UNICODE, shopManifest, shopRun } from './fixtures/shop-manifest.ts';

const SAFE_ID = /^n_[A-Za-z0-9_]+$/;
const NODE_LINE = /^ {2}(n_[A-Za-z0-9_]+)(\[\/|\{\{|\[\[|\()"(.*)"(\/\]|\}\}|\]\]|\))$/;
const EDGE_LINE = /^ {2}(\S+) (-->|-\.->)(?:\|"([^"]*)"\|)? (\S+)$/;

/** Decodes the entity codes Mermaid reads in labels (`#quot;`, `#35;`...). */
function decode(label: string): string {
  const named: Record<string, string> = { quot: '"', lt: '<', gt: '>', amp: '&' };
  return label.replace(/#(\w+);/g, (_, code: string) => (/^\d+$/.test(code) ? String.fromCodePoint(Number(code)) : named[code]));
}

function parse(text: string) {
  const nodes = new Map<string, { shape: string; label: string }>();
  const edges: { from: string; arrow: string; label?: string; to: string }[] = [];
  for (const line of text.split('\n')) {
    const n = NODE_LINE.exec(line);
    if (n) nodes.set(n[1], { shape: n[2], label: n[3] });
    const e = EDGE_LINE.exec(line);
    if (e) edges.push({ from: e[1], arrow: e[2], ...(e[3] ? { label: e[3] } : {}), to: e[4] });
  }
  return { nodes, edges };
}

describe('toMermaid', () => {
  const text = toMermaid(shopManifest, { finalVars: ['end'], overrides: ['total'], config: { engine: 'fast' } });
  const { nodes, edges } = parse(text);

  it('starts a left-to-right flowchart (top-down on request)', () => {
    expect(text.split('\n')[0]).toBe('flowchart LR');
    expect(toMermaid(shopManifest, { direction: 'TD', title: 'Shop "orders"' })).toMatch(/^---\ntitle: "Shop \\"orders\\""\n---\nflowchart TD\n/);
  });

  it('declares every node once with a safe id, and its name recoverable from the label', () => {
    expect(nodes.size).toBe(shopManifest.nodes.length);
    for (const id of nodes.keys()) expect(id).toMatch(SAFE_ID);
    const names = [...nodes.values()].map((n) => decode(n.label.split('<br/>')[0].replace(/<\/?b>/g, '')));
    expect(names.sort()).toEqual(shopManifest.nodes.map((n) => n.name.replace(/\n/g, ' ')).sort());
    // Labels hold no raw quote or bracket that Mermaid would parse: only our own <br/>, <b>, <i> tags.
    for (const n of nodes.values()) {
      expect(n.label).not.toContain('"');
      expect(n.label.replace(/<\/?(br\/|b|i)>/g, '')).not.toMatch(/[<>]/);
    }
    expect(nodes.get(mermaidId('end'))!.label).toBe('<b>end</b><br/><i>: Report</i><br/>stage=reporting');
    expect(text).not.toMatch(/^ {2}end\b/m);
  });

  it('gives each kind its shape', () => {
    expect(nodes.get('n_ordersPath')!.shape).toBe('[/');
    expect(nodes.get('n_typeReview')!.shape).toBe('{{');
    expect(nodes.get('n_total')!.shape).toBe('[[');
    expect(nodes.get('n_cleanOrders')!.shape).toBe('(');
  });

  it('draws every dependency edge between declared ids; optional and excluded ones dotted', () => {
    expect(edges).toHaveLength(18);
    for (const e of edges) {
      expect(nodes.has(e.from)).toBe(true);
      expect(nodes.has(e.to)).toBe(true);
    }
    const quote = mermaidId(ODD_QUOTE);
    expect(edges).toContainEqual({ from: 'n_fxRates', arrow: '-.->', label: 'rates', to: quote });
    expect(edges).toContainEqual({ from: 'n_total', arrow: '-->', to: quote });
    expect(edges).toContainEqual({ from: mermaidId('forecast__exact'), arrow: '-.->', to: 'n_end' });
    expect(edges).toContainEqual({ from: mermaidId('forecast__fast'), arrow: '-->', to: 'n_end' });
  });

  it('entity-encodes quotes, angle brackets, backslashes and keeps unicode', () => {
    expect(decode(nodes.get(mermaidId(ODD_QUOTE))!.label)).toContain('revenue "gross" <EUR><br/><i>: Money<"EUR"></i>');
    expect(nodes.get(mermaidId(ODD_UNICODE))!.label).toContain(ODD_UNICODE);
    expect(decode(nodes.get(mermaidId(ODD_ESCAPES))!.label)).toContain('back\\slash new line');
  });

  it('defines classes for kinds and outcomes and assigns them', () => {
    for (const cls of ['function', 'input', 'gate', 'extract', 'requested', 'override', 'excluded', 'done', 'cached', 'failed', 'skipped', 'awaiting_review']) {
      expect(text).toMatch(new RegExp(`^ {2}classDef ${cls} `, 'm'));
    }
    expect(text).toMatch(/^ {2}class n_end requested$/m);
    expect(text).toMatch(/^ {2}class n_total override$/m);
    expect(text).toMatch(new RegExp(`^ {2}class ${mermaidId('forecast__exact')} excluded$`, 'm'));
    const run = toMermaid(shopManifest, { config: { engine: 'fast' }, run: shopRun });
    expect(run).toMatch(/^ {2}class n_cleanOrders failed$/m);
    expect(run).toMatch(/^ {2}class .*n_rawOrders.* done$/m);
    expect(run).toContain('failed · 1.2 s');
    expect(run).not.toMatch(/^ {2}style /m);
  });

  it('encodes ids injectively: different keys never share an id', () => {
    const keys = ['a_b', 'a__b', 'a b', 'a-b', 'a_2d_b', 'ab', 'end', 'o', 'x', 'größe', 'gr_f6_sse', '📈', '_'];
    const ids = keys.map(mermaidId);
    expect(new Set(ids).size).toBe(keys.length);
    for (const id of ids) expect(id).toMatch(SAFE_ID);
  });
});
