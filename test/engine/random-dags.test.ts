/**
 * Randomized DAGs executed by the driver and by a naive reference evaluator must agree, for
 * random requests, overrides, optional inputs, async nodes and parallelism limits.
 */
import { describe, expect, it } from 'vitest';
import { Builder, type ManifestNode, defineManifest } from '../../engine/index.ts';

/** Deterministic PRNG (mulberry32) so failures reproduce from the seed. */
function rng(seed: number) {
  return () => {
    seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Spec { name: string; deps: string[]; optional: boolean[]; async: boolean; salt: number }

function randomDag(rand: () => number, size: number): { specs: Spec[]; inputs: string[] } {
  const inputs = ['in0', 'in1', 'in2'];
  const specs: Spec[] = [];
  for (let i = 0; i < size; i++) {
    const pool = [...inputs, ...specs.map((s) => s.name)];
    const k = Math.floor(rand() * Math.min(4, pool.length + 1));
    const deps = [...new Set(Array.from({ length: k }, () => pool[Math.floor(rand() * pool.length)]))];
    specs.push({ name: `n${i}`, deps, optional: deps.map((d) => inputs.includes(d) && rand() < 0.3), async: rand() < 0.3, salt: Math.floor(rand() * 1000) });
  }
  return { specs, inputs };
}

/** What each node computes: a mix of its salt and its dependencies' values (undefined -> default 7). */
const combine = (salt: number, args: unknown[]) => args.reduce<number>((acc, v, k) => (acc * 31 + (v === undefined ? 7 : (v as number)) * (k + 1)) % 1_000_003, salt);

function reference(specs: Spec[], want: string[], inputs: Record<string, number>, overrides: Record<string, number>): Record<string, number> {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const memo = new Map<string, number | undefined>(Object.entries(overrides));
  const value = (name: string): number | undefined => {
    // Iterative post-order evaluation.
    const stack: [string, boolean][] = [[name, false]];
    while (stack.length) {
      const [n, expanded] = stack.pop()!;
      if (memo.has(n)) continue;
      const s = byName.get(n);
      if (!s) { memo.set(n, inputs[n]); continue; }
      if (!expanded) { stack.push([n, true]); for (const d of s.deps) if (!memo.has(d)) stack.push([d, false]); continue; }
      memo.set(n, combine(s.salt, s.deps.map((d) => memo.get(d))));
    }
    return memo.get(name);
  };
  return Object.fromEntries(want.map((w) => [w, value(w)!]));
}

/** Independently of the driver: which required inputs are missing for this request? */
function missingInputs(specs: Spec[], want: string[], inputs: Record<string, number>, overrides: Record<string, number>): string[] {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const missing = new Set<string>();
  const seen = new Set<string>();
  const stack = want.filter((w) => !(w in overrides));
  while (stack.length) {
    const s = byName.get(stack.pop()!)!;
    if (seen.has(s.name)) continue;
    seen.add(s.name);
    s.deps.forEach((d, k) => {
      if (d in overrides) return;
      if (byName.has(d)) stack.push(d);
      else if (!(d in inputs) && !s.optional[k]) missing.add(d);
    });
  }
  return [...missing].sort();
}

function toManifest(specs: Spec[], inputs: string[]) {
  const fns: Record<string, Function> = {};
  const nodes: ManifestNode[] = inputs.map((name) => ({ name, kind: 'input', module: '', fn: '', deps: [], type: 'number', doc: '', tags: {}, checks: [], when: [], codeVersion: '', cache: 'default', async: false }));
  for (const s of specs) {
    fns[s.name] = s.async
      ? async (...args: unknown[]) => { await new Promise((r) => setTimeout(r, 0)); return combine(s.salt, args); }
      : (...args: unknown[]) => combine(s.salt, args);
    nodes.push({ name: s.name, kind: 'function', module: 'm', fn: s.name, deps: s.deps.map((d, k) => ({ name: d, param: d, optional: s.optional[k], type: 'number' })), type: 'number', doc: '', tags: {}, checks: [], when: [], codeVersion: String(s.salt), cache: 'default', async: s.async });
  }
  return defineManifest({ version: 1, dataflow: 'random', nodes }, async () => fns);
}

describe('randomized DAGs against a reference evaluator', () => {
  for (let seed = 1; seed <= 25; seed++) {
    it(`seed ${seed}`, async () => {
      const rand = rng(seed);
      const { specs, inputs } = randomDag(rand, 20 + Math.floor(rand() * 80));
      const dr = await Builder().withDataflow(toManifest(specs, inputs)).withMaxParallel(1 + Math.floor(rand() * 4)).build();
      for (let trial = 0; trial < 6; trial++) {
        const want = [...new Set(Array.from({ length: 1 + Math.floor(rand() * 4) }, () => specs[Math.floor(rand() * specs.length)].name))];
        const overrides: Record<string, number> = {};
        if (rand() < 0.5) overrides[specs[Math.floor(rand() * specs.length)].name] = Math.floor(rand() * 100);
        // Supply every input only sometimes: optional-only inputs may stay missing.
        const given: Record<string, number> = {};
        for (const i of inputs) if (rand() < 0.7) given[i] = Math.floor(rand() * 100);
        const missing = missingInputs(specs, want, given, overrides);
        if (missing.length) {
          const err = await dr.execute(want as never, { inputs: given, overrides }).catch((e) => e);
          expect(err.problems.map((p: { name: string }) => p.name).sort()).toEqual(missing);
          // Supplying every input makes it run.
          const all = Object.fromEntries(inputs.map((i) => [i, given[i] ?? 1]));
          expect(await dr.execute(want as never, { inputs: all, overrides })).toEqual(reference(specs, want, all, overrides));
        } else {
          expect(await dr.execute(want as never, { inputs: given, overrides })).toEqual(reference(specs, want, given, overrides));
        }
      }
    });
  }
});
