/**
 * Semantic, topology and temporal enrichment are independent branches after type resolution: the
 * engine starts all three before any finishes, and each has its own DuckDB connection.
 */
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Hook } from '../../engine/index.ts';
import { openRuntime } from '../../cli/runtime.ts';
import { parseSourceConfig, sourceConfigFromPath } from '../../nodes/staging/source-config.ts';

const DATA = join(dirname(createRequire(import.meta.url).resolve('vega-datasets')), '..', 'data');
const BRANCHES = ['semanticAnnotations', 'relationships', 'temporalProfiles'];

describe('enrichment branches', () => {
  it('run concurrently', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dataraum-branches-'));
    const folder = join(dir, 'vega');
    mkdirSync(folder);
    for (const f of ['airports.csv', 'flights-airport.csv', 'seattle-weather.csv']) copyFileSync(join(DATA, f), join(folder, f));
    const spans = new Map<string, { start: number; end: number }>();
    const timing: Hook = {
      beforeNode: (c) => { if (BRANCHES.includes(c.node)) spans.set(c.node, { start: performance.now(), end: Infinity }); },
      afterNode: (r) => { const s = spans.get(r.node); if (s) s.end = performance.now(); },
    };
    const runtime = await openRuntime({ home: join(dir, 'home') });
    try {
      const driver = await runtime.driver('ingest', { hooks: [timing], cache: false });
      const source = parseSourceConfig(sourceConfigFromPath(folder));
      const res = await driver.run(['storedSemanticAnnotations', 'storedRelationships', 'storedTemporalProfiles'], { inputs: { ...runtime.inputs(), source } });
      expect(res.status).toBe('completed');
    } finally {
      await runtime.close();
    }
    expect([...spans.keys()].sort()).toEqual([...BRANCHES].sort());
    const lastStart = Math.max(...[...spans.values()].map((s) => s.start));
    const firstEnd = Math.min(...[...spans.values()].map((s) => s.end));
    expect(lastStart).toBeLessThan(firstEnd);
  });
});
