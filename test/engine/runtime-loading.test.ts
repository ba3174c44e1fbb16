import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { transformSync } from 'esbuild';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { Builder, parseParams } from '../../engine/index.ts';
import * as notebook from './fixtures/notebook-module.ts';

/** The module as tsx runs it: compiled by esbuild, which renames shadowing parameters. */
async function importAsTsxWould(): Promise<Record<string, unknown>> {
  const src = readFileSync(new URL('./fixtures/notebook-module.ts', import.meta.url), 'utf8');
  const dir = mkdtempSync(join(tmpdir(), 'dataraum-esbuild-'));
  const file = join(dir, 'notebook-module.mjs');
  writeFileSync(file, transformSync(src, { loader: 'ts', format: 'esm' }).code);
  return import(pathToFileURL(file).href);
}

describe('runtime loading without a build step', () => {
  it('loads a module whose parameters shadow its own exports (bundler renames undone)', async () => {
    const compiled = await importAsTsxWould();
    // The compiled source really was renamed; the driver must still wire it by name.
    expect(String(compiled.count)).toMatch(/spend2/);
    for (const mod of [compiled, notebook]) {
      const dr = await Builder().withModules(mod as Record<string, unknown>).build();
      expect(dr.listVariables().map((v) => v.name).sort()).toEqual(['avgSpend', 'count', 'spend', 'spendPerWeek', 'weeks']);
      expect(await dr.execute(['spendPerWeek', 'count'])).toEqual({ spendPerWeek: 6.25, count: 4 });
      expect(await dr.execute(['spendPerWeek'], { inputs: { weeks: 5 } })).toEqual({ spendPerWeek: 5 });
    }
  });

  it('reads parameter names with a real parser', () => {
    const names = (fn: Function) => parseParams(fn, 'f').params.map((p) => `${p.name}${p.optional ? '?' : ''}`);
    expect(names(function f(a: number, /* (b, c) */ b = ')', c = { x: [1, 2] }) { return [a, b, c]; })).toEqual(['a', 'b?', 'c?']);
    expect(names(async (x: number, y = (() => 1)()) => x + y)).toEqual(['x', 'y?']);
    expect(names(async function* gen(z: number) { yield z; })).toEqual(['z']);
    expect(names({ method(p: number, q = `)${1}`) { return p + q; } }.method)).toEqual(['p', 'q?']);
    expect(names((x: number) => x)).toEqual(['x']);
    expect(parseParams(async () => 1, 'g').async).toBe(true);
    expect(() => parseParams(({ a }: { a: number }) => a, 'h')).toThrow(/Node 'h': parameter 1 is a destructuring pattern/);
    expect(() => parseParams((...rest: number[]) => rest, 'r')).toThrow(/rest parameter/);
    expect(() => parseParams(Math.max, 'm')).toThrow(/native or bound/);
  });
});

describe('withModules typing', () => {
  it('types the nodes of several modules together', async () => {
    const a = { x: () => 2 };
    const b = { y: (x: number) => `${x * 2}` };
    const dr = await Builder().withModules(a, b).build();
    const out = await dr.execute(['x', 'y']);
    expectTypeOf(out.x).toEqualTypeOf<number>();
    expectTypeOf(out.y).toEqualTypeOf<string>();
    expect(out).toEqual({ x: 2, y: '4' });
  });
});
