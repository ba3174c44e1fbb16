/** The HTML file as text: self-contained, and safe whatever the names and docs contain. */
import { describe, expect, it } from 'vitest';
import { jsonForScript, render, toHtml } from '../../viz/index.ts';
import { ODD_QUOTE, shopManifest } from './fixtures/shop-manifest.ts';

describe('toHtml (text)', () => {
  const html = toHtml(shopManifest, { title: 'Shop <orders> & "returns"' });

  it('is one file: data, ELK and the viewer inline, no external resource, network blocked by CSP', () => {
    expect(html.match(/<script\b/g)).toHaveLength(3);
    expect(html.match(/<\/script>/g)).toHaveLength(3);
    expect(html).not.toMatch(/<script[^>]*\bsrc=|<link\b|@import|url\(\s*['"]?https?:/i);
    expect(html).toContain(`content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:"`);
    expect(html).toContain('g.ELK = f()');
  });

  it('escapes the title and keeps </script> and <!-- in node docs inside the JSON', () => {
    expect(html).toContain('<title>Shop &lt;orders&gt; &amp; &quot;returns&quot; · dataraum</title>');
    const start = html.indexOf('<script type="application/json" id="dataraum-graph-data">') + '<script type="application/json" id="dataraum-graph-data">'.length;
    const json = html.slice(start, html.indexOf('</script>', start));
    expect(json).not.toMatch(/<|>/);
    const data = JSON.parse(json) as { title: string; nodes: { name: string; doc: string }[] };
    expect(data.title).toBe('Shop <orders> & "returns"');
    expect(data.nodes.find((n) => n.name === ODD_QUOTE)!.doc).toContain('</script><script>window.__pwned = 1</script><!--');
    expect(data.nodes.map((n) => n.name)).toEqual(shopManifest.nodes.map((n) => n.name));
  });

  it('escapes every character that could end or confuse a script element', () => {
    const tricky = { s: '</script><!-- & \u2028 \u2029 </SCRIPT>' };
    const out = jsonForScript(tricky);
    expect(out).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(out)).toEqual(tricky);
  });

  it('is what render("html") returns', () => {
    expect(render('html', shopManifest, { title: 'Shop <orders> & "returns"' })).toBe(html);
    expect(() => render('svg' as 'dot', shopManifest)).toThrow("viz: unknown format 'svg'; use one of dot, mermaid, json, html");
  });
});
