import { DirectedGraph } from 'graphology';
import { describe, expect, it } from 'vitest';
import { OUTCOME_COLORS } from '../../viz/colors.ts';
import { render, toGraphJSON } from '../../viz/index.ts';
import type { VizNodeAttributes } from '../../viz/index.ts';
import { ODD_QUOTE, shopManifest, shopRun } from './fixtures/shop-manifest.ts';

describe('toGraphJSON', () => {
  const json = toGraphJSON(shopManifest, { finalVars: ['end'], config: { engine: 'fast' }, run: shopRun });

  it('re-imports with DirectedGraph.from: same order, size, nodes and edges', () => {
    const graph = DirectedGraph.from(json);
    expect(graph.order).toBe(shopManifest.nodes.length);
    expect(graph.size).toBe(18);
    expect(graph.hasDirectedEdge('forecast__fast', 'end')).toBe(true);
    expect(graph.hasDirectedEdge('fxRates', ODD_QUOTE)).toBe(true);
    expect(graph.getEdgeAttributes('fxRates', ODD_QUOTE)).toEqual({ params: ['rates'], optional: true, type: 'Record<string, number>', excluded: false });
    expect(graph.inDegree('end')).toBe(4);
    expect(graph.getAttribute('dataflow')).toBe('shop');
  });

  it('carries each node\'s manifest fields and view attributes', () => {
    const graph = DirectedGraph.from(json);
    for (const node of shopManifest.nodes) {
      const key = shopManifest.nodes.filter((n) => n.name === node.name).length > 1 ? node.fn : node.name;
      const a = graph.getNodeAttributes(key) as VizNodeAttributes;
      expect(a).toMatchObject({ name: node.name, kind: node.kind, type: node.type, doc: node.doc, tags: node.tags, checks: node.checks, when: node.when });
    }
    expect(graph.getNodeAttributes('cleanOrders')).toMatchObject({
      outcome: 'failed', durationMs: 1234, cacheHit: false, error: 'column "amount" is not numeric', color: OUTCOME_COLORS.failed,
      source: { file: 'nodes/shop/shop.ts', line: 40 },
    });
    expect(graph.getNodeAttributes('end')).toMatchObject({ requested: true });
    expect(graph.getNodeAttribute('end', 'outcome')).toBeUndefined();
    expect(graph.getNodeAttributes('forecast__exact')).toMatchObject({ excluded: true, condition: 'engine!=fast' });
    expect(graph.getNodeAttributes('forecast__fast')).toMatchObject({ excluded: false, outcome: 'skipped' });
    expect(graph.getNodeAttributes('total')).toMatchObject({ kind: 'extract', field: 'total' });
    expect(graph.getNodeAttributes('typeReview')).toMatchObject({ kind: 'gate', gate: 'type_review', outcome: 'awaiting_review' });
  });

  it('round-trips through JSON text and graph.import unchanged', () => {
    const viaText = JSON.parse(render('json', shopManifest, { finalVars: ['end'], config: { engine: 'fast' }, run: shopRun }));
    expect(viaText).toEqual(JSON.parse(JSON.stringify(json)));
    const graph = new DirectedGraph();
    graph.import(viaText);
    expect(graph.export()).toEqual(viaText);
  });

  it('marks only the variant that holds as the requested output', () => {
    const graph = DirectedGraph.from(toGraphJSON(shopManifest, { finalVars: ['forecast'], config: { engine: 'exact' } }));
    expect(graph.getNodeAttributes('forecast__exact')).toMatchObject({ requested: true, excluded: false });
    expect(graph.getNodeAttributes('forecast__fast')).toMatchObject({ requested: false, excluded: true, condition: 'engine=fast' });
    // Without a config nothing is excluded, so both variants are candidates.
    const open = DirectedGraph.from(toGraphJSON(shopManifest, { finalVars: ['forecast'] }));
    expect(open.filterNodes((_, a) => a.requested)).toEqual(['forecast__fast', 'forecast__exact']);
  });

  it('reports unknown requested outputs by name, with a suggestion', () => {
    expect(() => toGraphJSON(shopManifest, { finalVars: ['ends', 'rawOrder'] })).toThrow(
      /finalVars names 'ends' \(did you mean 'end'\?\), 'rawOrder' \(did you mean 'rawOrders'\?\), not a node of dataflow 'shop'/,
    );
  });

  it('draws undeclared dependencies as missing nodes rather than dropping the edge', () => {
    const broken = { ...shopManifest, nodes: [...shopManifest.nodes, { ...shopManifest.nodes[2], name: 'extra', deps: [{ name: 'ghost', param: 'ghost', optional: false, type: '' }] }] };
    const graph = DirectedGraph.from(toGraphJSON(broken));
    expect(graph.getNodeAttributes('ghost')).toMatchObject({ missing: true, kind: 'input' });
    expect(graph.hasDirectedEdge('ghost', 'extra')).toBe(true);
  });
});

describe('node keys for config variants', () => {
  it('uses the variant export name, else the conditions, else a counter', () => {
    const forecast = shopManifest.nodes.filter((n) => n.name === 'forecast');
    const sameFn = forecast.map((n) => ({ ...n, fn: 'forecastAll' }));
    const sameEverything = [sameFn[0], { ...sameFn[0] }];
    const keys = (nodes: typeof forecast) =>
      DirectedGraph.from(toGraphJSON({ ...shopManifest, nodes: [...shopManifest.nodes.filter((n) => n.name !== 'forecast'), ...nodes] }))
        .filterNodes((_, a) => a.name === 'forecast');
    expect(keys(forecast)).toEqual(['forecast__fast', 'forecast__exact']);
    expect(keys(sameFn)).toEqual(['forecast[engine=fast]', 'forecast[engine!=fast]']);
    expect(keys(sameEverything)).toEqual(['forecast[engine=fast]', 'forecast[engine=fast]#2']);
  });
});
