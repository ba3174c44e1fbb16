/**
 * The HTML viewer in a real headless Chromium: layout, drawing, the details panel, search, the
 * run overlay, offline-only loading, and a graph over the "large" threshold. One browser per file.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest, ManifestNode } from '../../engine/index.ts';
import { OUTCOME_COLORS } from '../../viz/colors.ts';
import { LARGE_GRAPH_NODES, toHtml } from '../../viz/index.ts';
import type { VizOptions } from '../../viz/index.ts';
import { ODD_QUOTE, shopManifest, shopNames, shopRun } from './fixtures/shop-manifest.ts';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = '/tmp/dataraum-viz-shop.png';

let browser: Browser;
let dir: string;

/** Waits for an apt install that may still be writing the binary; never skips. */
async function waitForChromium(): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (!existsSync(CHROMIUM)) {
    if (Date.now() > deadline) throw new Error(`${CHROMIUM} did not appear within 120 s; install the Debian 'chromium' package`);
    await new Promise((r) => setTimeout(r, 2000));
  }
}

beforeAll(async () => {
  await waitForChromium();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  dir = await mkdtemp(path.join(tmpdir(), 'dataraum-viz-'));
});

afterAll(async () => {
  await browser?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface Opened {
  page: Page;
  requests: string[];
  errors: string[];
}

async function open(name: string, manifest: Manifest, opts: VizOptions, wait = true): Promise<Opened> {
  const file = path.join(dir, `${name}.html`);
  await writeFile(file, toHtml(manifest, opts));
  const page = await browser.newPage({ viewport: { width: 1400, height: 820 } });
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(pathToFileURL(file).href);
  if (wait) await page.waitForSelector('svg[data-ready="true"]', { timeout: 30_000 });
  return { page, requests, errors };
}

interface Box { id: string; name: string; x: number; y: number; w: number; h: number }
interface EdgeEnds { source: string; target: string; start: { x: number; y: number }; end: { x: number; y: number } }

/*
 * In-page code is written as expression strings: this project type-checks without the DOM
 * library (it is a Node package), and page.evaluate accepts an expression to evaluate.
 */

/** Node boxes and edge end points, in the SVG's own coordinates (both live under #viewport). */
const GEOMETRY = `(() => {
  const boxes = [...document.querySelectorAll('[data-node]')].map((g) => {
    const m = /translate\\(([-\\d.e]+),([-\\d.e]+)\\)/.exec(g.getAttribute('transform'));
    const b = g.querySelector('.shape').getBBox();
    return { id: g.dataset.id, name: g.dataset.node, x: Number(m[1]) + b.x, y: Number(m[2]) + b.y, w: b.width, h: b.height };
  });
  const edges = [...document.querySelectorAll('[data-edge]')].map((g) => {
    const paths = [...g.querySelectorAll('path')];
    const last = paths[paths.length - 1];
    const start = paths[0].getPointAtLength(0);
    const end = last.getPointAtLength(last.getTotalLength());
    return { source: g.dataset.source, target: g.dataset.target, start: { x: start.x, y: start.y }, end: { x: end.x, y: end.y } };
  });
  return { boxes, edges };
})()`;

const computedFill = (selector: string): string => `getComputedStyle(document.querySelector(${JSON.stringify(selector)})).fill`;
const NODE_OUTCOMES = "[...document.querySelectorAll('[data-node]')].map((e) => [e.dataset.id, e.dataset.outcome])";

function geometry(page: Page): Promise<{ boxes: Box[]; edges: EdgeEnds[] }> {
  return page.evaluate(GEOMETRY) as Promise<{ boxes: Box[]; edges: EdgeEnds[] }>;
}

/** Distance from a point to a box (0 inside or on its border). */
function distance(p: { x: number; y: number }, b: { x: number; y: number; w: number; h: number }): number {
  const dx = Math.max(b.x - p.x, 0, p.x - (b.x + b.w));
  const dy = Math.max(b.y - p.y, 0, p.y - (b.y + b.h));
  return Math.hypot(dx, dy);
}

function rgb(hex: string): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgb(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255})`;
}

describe('toHtml in Chromium', () => {
  // One page serves the drawing, panel and search tests (each page costs ~1.5 s of script parsing and layout).
  let shop: Opened;
  beforeAll(async () => {
    shop = await open('shop', shopManifest, { finalVars: ['end'], overrides: ['total'], config: { engine: 'fast' } });
  });
  afterAll(async () => {
    await shop?.page.close();
  });

  it('lays out and draws every node and edge without overlaps, offline, with edges attached to their nodes', async () => {
    const { page, requests, errors } = shop;
    const names = await page.$$eval('[data-node]', (els) => els.map((e) => e.getAttribute('data-node')));
    expect(names).toHaveLength(shopManifest.nodes.length);
    expect(names.sort()).toEqual(shopManifest.nodes.map((n) => n.name).sort());
    expect(new Set(names)).toEqual(new Set(shopNames));

    const { boxes, edges } = await geometry(page);
    expect(new Set(boxes.map((b) => `${Math.round(b.x)},${Math.round(b.y)}`)).size).toBe(boxes.length);
    for (const a of boxes) {
      expect(a.w).toBeGreaterThan(40);
      for (const b of boxes) {
        if (a === b) continue;
        const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
        expect(overlap, `${a.id} overlaps ${b.id}`).toBe(false);
      }
    }
    expect(edges).toHaveLength(18);
    const box = new Map(boxes.map((b) => [b.id, b]));
    for (const e of edges) {
      expect(distance(e.start, box.get(e.source)!), `${e.source} -> ${e.target} starts at its source`).toBeLessThan(2);
      expect(distance(e.end, box.get(e.target)!), `${e.source} -> ${e.target} ends at its target`).toBeLessThan(2);
    }

    // Names in the page are text, never markup: the doc's </script><script> did not run.
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    expect(requests.filter((u) => !u.startsWith('file://'))).toEqual([]);
    expect(requests).toHaveLength(1);
    expect(errors).toEqual([]);
    expect(await page.locator('#notice').isHidden()).toBe(true);

    await page.screenshot({ path: SCREENSHOT });
  });

  it('shows a clicked node\'s name, kind, type, doc, tags, deps, source and checks in the panel', async () => {
    const { page, errors } = shop;
    await page.locator('[data-node="cleanOrders"]').click();
    const panel = page.locator('#panel');
    await expect.poll(() => panel.locator('h2').textContent()).toBe('cleanOrders');
    const text = (await panel.textContent())!;
    for (const part of ['function', 'CleanOrder[]', 'Orders with reviewed types applied.', 'stage=typing', 'owner=ana, bo',
      'rawOrders', 'typeReview', 'nodes/shop/shop.ts:40', 'CleanOrdersSchema (fail)', 'forecast (forecast__exact, excluded)']) {
      expect(text).toContain(part);
    }
    expect(await page.locator('[data-node="cleanOrders"]').getAttribute('class')).toContain('selected');

    // Odd names select fine, and their doc is shown as literal text.
    await page.locator(`[data-node="${ODD_QUOTE.replace(/["\\]/g, '\\$&')}"]`).click();
    await expect.poll(() => panel.locator('h2').textContent()).toBe(ODD_QUOTE);
    expect(await panel.textContent()).toContain('Money<"EUR">');
    expect(await panel.textContent()).toContain('</script><script>window.__pwned = 1</script><!--');

    // Following a dependency link selects that node.
    await panel.getByRole('button', { name: 'total' }).click();
    await expect.poll(() => panel.locator('h2').textContent()).toBe('total');
    expect(await panel.textContent()).toContain('./shop.ts → orderStats.total');
    expect(errors).toEqual([]);
  });

  it('finds nodes with the search box and zooms with the wheel', async () => {
    const { page } = shop;
    await page.locator('#search').fill('forecast');
    await expect.poll(() => page.locator('#search-count').textContent()).toBe('2 matches');
    expect(await page.locator('[data-node].match').count()).toBe(2);
    await page.locator('#search').press('Enter');
    await expect.poll(() => page.locator('#panel h2').textContent()).toBe('forecast');
    await page.locator('#search').press('Escape');
    expect(await page.locator('[data-node].match').count()).toBe(0);

    const before = await page.locator('#viewport').getAttribute('transform');
    await page.mouse.move(500, 400);
    await page.mouse.wheel(0, -400);
    await expect.poll(() => page.locator('#viewport').getAttribute('transform')).not.toBe(before);
  });

  it('colours nodes by run outcome, with a legend', async () => {
    const { page, errors } = await open('run', shopManifest, { finalVars: ['end'], config: { engine: 'fast' }, run: shopRun });
    try {
      const fill = (name: string) => page.evaluate(computedFill(`[data-node="${name}"]:not(.excluded) .shape`)) as Promise<string>;
      const failed = await fill('cleanOrders');
      const done = await fill('rawOrders');
      expect(failed).toBe(rgb(OUTCOME_COLORS.failed));
      expect(done).toBe(rgb(OUTCOME_COLORS.done));
      expect(failed).not.toBe(done);
      expect(await fill('orderStats')).toBe(rgb(OUTCOME_COLORS.cached));
      expect(await fill('typeReview')).toBe(rgb(OUTCOME_COLORS.awaiting_review));
      expect(await fill('forecast')).toBe(rgb(OUTCOME_COLORS.skipped));

      const outcomes = Object.fromEntries(
        (await page.evaluate(NODE_OUTCOMES)) as [string, string][],
      );
      expect(outcomes).toMatchObject({ cleanOrders: 'failed', rawOrders: 'done', forecast__fast: 'skipped', forecast__exact: '', end: 'not_run' });
      expect(await page.locator('#legend').textContent()).toMatch(/done.*cached.*failed.*skipped.*awaiting review.*not run/);

      await page.locator('[data-node="cleanOrders"]').click();
      const panel = (await page.locator('#panel').textContent())!;
      expect(panel).toContain('failed in 1.2 s');
      expect(panel).toContain('column "amount" is not numeric');
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it(`says so for graphs over ${LARGE_GRAPH_NODES} nodes and still draws them`, async () => {
    // 667 small pipelines (input -> step -> step): real size, cheap layout.
    const nodes: ManifestNode[] = Array.from({ length: LARGE_GRAPH_NODES + 1 }, (_, i) => ({
      name: `n${i}`, kind: i % 3 === 0 ? 'input' : 'function', module: '', fn: '', type: 'T', doc: '', tags: {},
      deps: i % 3 === 0 ? [] : [{ name: `n${i - 1}`, param: `n${i - 1}`, optional: false, type: 'T' }],
      checks: [], when: [], codeVersion: '', cache: 'default', async: false,
    }));
    const { page, errors } = await open('large', { version: 1, dataflow: 'large', nodes }, {});
    try {
      expect(await page.locator('#notice').textContent()).toContain(`Large graph: ${nodes.length} nodes`);
      expect(await page.locator('[data-node]').count()).toBe(nodes.length);
      // Too big to read when fitted: the first view is zoomed in, and says how to see it all.
      expect(await page.locator('#status').textContent()).toContain('press Fit to see all of it');
      expect(await page.locator('#viewport').getAttribute('transform')).toMatch(/scale\(0\.85\)$/);
      expect(await page.locator('[data-edge]').count()).toBe(nodes.filter((n) => n.deps.length).length);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
