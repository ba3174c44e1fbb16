import { describe, expect, it } from 'vitest';
import { Builder, InvalidExecutionError, NodeExecutionError, type Hook } from '../../engine/index.ts';

describe('driver.execute', () => {
  it('runs only the upstream closure of the requested values, each node once', async () => {
    const calls: string[] = [];
    const dr = await Builder().withFunctions({
      a: () => { calls.push('a'); return 1; },
      b: (a: number) => { calls.push('b'); return a + 1; },
      c: (a: number, b: number) => { calls.push('c'); return a + b; },
      unrelated: () => { calls.push('unrelated'); return 0; },
    }).build();
    const out = await dr.execute(['b', 'c']);
    expect(out).toEqual({ b: 2, c: 3 });
    expect(calls.sort()).toEqual(['a', 'b', 'c']);
  });

  it('feeds inputs, applies parameter defaults when nothing supplies an optional parameter', async () => {
    const dr = await Builder().withFunctions({
      scaled: (base: number, factor = 10) => base * factor,
    }).build();
    expect(await dr.execute(['scaled'], { inputs: { base: 2 } })).toEqual({ scaled: 20 });
    expect(await dr.execute(['scaled'], { inputs: { base: 2, factor: 3 } })).toEqual({ scaled: 6 });
  });

  it('overrides replace a node and cut its upstream', async () => {
    let ran = false;
    const dr = await Builder().withFunctions({
      expensive: (path: string) => { ran = true; return path.length; },
      doubled: (expensive: number) => expensive * 2,
    }).build();
    // `path` is not needed once `expensive` is overridden.
    expect(await dr.execute(['doubled'], { overrides: { expensive: 21 } })).toEqual({ doubled: 42 });
    expect(ran).toBe(false);
  });

  it('reports every missing input and unknown name at once, before anything runs', async () => {
    let ran = 0;
    const dr = await Builder().withFunctions({
      a: (x: number) => { ran++; return x; },
      b: (y: number, a: number) => { ran++; return y + a; },
      total: (b: number) => { ran++; return b; },
    }).build();
    const err = await dr.execute(['total', 'totl', 'nope'] as never).catch((e) => e);
    expect(err).toBeInstanceOf(InvalidExecutionError);
    const problems = (err as InvalidExecutionError).problems;
    expect(problems.map((p) => `${p.kind}:${p.name}`).sort()).toEqual(['missing_input:x', 'missing_input:y', 'unknown_node:nope', 'unknown_node:totl']);
    expect(problems.find((p) => p.name === 'totl')?.suggestions).toContain('total');
    expect(problems.find((p) => p.name === 'y')?.neededBy).toEqual(['b']);
    expect((err as Error).message).toMatch(/4 problems/);
    expect(ran).toBe(0);
    expect(() => dr.validateExecution(['total'], { inputs: { x: 1 } })).toThrow(/input 'y' is missing/);
    expect(() => dr.validateExecution(['total'], { inputs: { x: 1, y: 2 } })).not.toThrow();
  });

  it('runs independent async nodes concurrently, bounded by maxParallel', async () => {
    let active = 0;
    let peak = 0;
    const work = async () => { active++; peak = Math.max(peak, active); await new Promise((r) => setTimeout(r, 15)); active--; return 1; };
    const fns = { a: work, b: work, c: work, d: work, e: work, f: work, sum: (a: number, b: number, c: number, d: number, e: number, f: number) => a + b + c + d + e + f };
    const dr = await Builder().withFunctions(fns).withMaxParallel(3).build();
    const t0 = performance.now();
    expect(await dr.execute(['sum'])).toEqual({ sum: 6 });
    expect(peak).toBe(3);
    expect(performance.now() - t0).toBeLessThan(15 * 6); // concurrent, not sequential
    peak = 0;
    await dr.execute(['sum'], { maxParallel: 1 });
    expect(peak).toBe(1);
  });

  it('completes a synchronous graph without yielding to the event loop between nodes', async () => {
    const order: string[] = [];
    const dr = await Builder().withFunctions({ a: () => 1, b: (a: number) => a + 1, c: (b: number) => b + 1 })
      .withHooks({ afterNode: (r) => order.push(r.node) }).build();
    let tickRan = false;
    const p = dr.execute(['c']).then((v) => { order.push('resolved'); return v; });
    queueMicrotask(() => { tickRan = true; });
    // All three nodes ran synchronously inside execute(), before any queued microtask.
    expect(order).toEqual(['a', 'b', 'c']);
    expect(tickRan).toBe(false);
    expect(await p).toEqual({ c: 3 });
  });

  it('executes a 100,000-node chain (traversal is iterative)', async () => {
    const fns: Record<string, unknown> = { n0: () => 0 };
    for (let i = 1; i < 100_000; i++) fns[`n${i}`] = new Function(`n${i - 1}`, `return n${i - 1} + 1`);
    const dr = await Builder().withFunctions(fns).build();
    const out = await dr.execute(['n99999'] as never);
    expect(out).toEqual({ n99999: 99_999 });
    expect(dr.upstreamOf('n99999')).toHaveLength(99_999);
  });

  it('names the failing node and its inputs, keeps the original error as cause', async () => {
    const boom = new RangeError('bad value');
    const dr = await Builder().withFunctions({
      a: () => 1,
      b: (a: number) => { if (a) throw boom; return a; },
    }).build();
    const err = await dr.execute(['b']).catch((e) => e);
    expect(err).toBeInstanceOf(NodeExecutionError);
    expect(err.node).toBe('b');
    expect(err.inputs).toEqual(['a']);
    expect(err.cause).toBe(boom);
    expect(err.message).toMatch(/Node 'b' failed \(inputs: a\): bad value/);
  });

  it('with failFast: false, lets independent branches finish and reports each node status', async () => {
    const dr = await Builder().withFunctions({
      src: () => 1,
      bad: async (src: number) => { throw new Error(`no ${src}`); },
      afterBad: (bad: number) => bad,
      good: async (src: number) => src + 1,
      afterGood: (good: number) => good * 10,
      farBelowBad: (afterBad: number) => afterBad,
    }).build();
    const res = await dr.run(['afterBad', 'afterGood', 'farBelowBad'], { failFast: false });
    expect(res.status).toBe('failed');
    if (res.status !== 'failed') return;
    expect(res.values).toEqual({ afterGood: 20 });
    const status = Object.fromEntries(res.nodes.map((n) => [n.node, n.outcome]));
    expect(status).toEqual({ src: 'done', bad: 'failed', afterBad: 'skipped', good: 'done', afterGood: 'done', farBelowBad: 'skipped' });
    expect(res.nodes.find((n) => n.node === 'afterBad')?.error).toMatch(/upstream 'bad' failed/);
    expect(res.nodes.find((n) => n.node === 'farBelowBad')?.error).toMatch(/upstream 'bad' failed/);
  });

  it('releases intermediates once nothing needs them (unless requested)', async () => {
    const gc = (globalThis as { gc?: () => void }).gc;
    expect(gc, 'run vitest with --expose-gc').toBeTypeOf('function');
    let ref: WeakRef<object> | undefined;
    const dr = await Builder().withFunctions({
      big: () => { const o = { data: new Array(1e5).fill(1) }; ref = new WeakRef(o); return o; },
      small: (big: { data: number[] }) => big.data.length,
      probe: async (small: number) => {
        await new Promise((r) => setTimeout(r, 0));
        gc!();
        return { small, bigAlive: ref!.deref() !== undefined };
      },
    }).build();
    expect((await dr.execute(['probe'])).probe).toEqual({ small: 1e5, bigAlive: false });
    const kept = await dr.execute(['probe', 'big']);
    expect(kept.probe.bigAlive).toBe(true);
  });
});

describe('tags and graph queries', () => {
  it('lists variables by tag and executes by tag filter', async () => {
    const dr = await Builder().withFunctions(
      { raw: () => [3, 1, 2], sorted: (raw: number[]) => [...raw].sort(), count: (raw: number[]) => raw.length },
      { sorted: { tags: { module: 'clean' } }, count: { tags: { module: ['stats', 'clean'] } } },
    ).build();
    expect(dr.listVariables({ tags: { module: 'clean' } }).map((v) => v.name)).toEqual(['sorted', 'count']);
    expect(dr.listVariables({ tags: { module: 'stats' } }).map((v) => v.name)).toEqual(['count']);
    expect(await dr.execute({ tags: { module: 'clean' } })).toEqual({ sorted: [1, 2, 3], count: 3 });
  });

  it('answers upstreamOf, downstreamOf and pathBetween in topological order', async () => {
    const dr = await Builder().withFunctions({
      a: () => 1, b: (a: number) => a, c: (a: number) => a, d: (b: number, c: number) => b + c, e: (d: number) => d, z: () => 0,
    }).build();
    expect(dr.upstreamOf('d')).toEqual(expect.arrayContaining(['a', 'b', 'c']));
    expect(dr.upstreamOf('d')[0]).toBe('a');
    expect(dr.downstreamOf('b')).toEqual(['d', 'e']);
    expect(dr.pathBetween('a', 'e')).toHaveLength(5);
    expect(dr.pathBetween('z', 'e')).toEqual([]);
    expect(() => dr.upstreamOf('nope')).toThrow(/'nope' is not a node/);
  });

  it('rejects cycles and duplicate names with clear messages', async () => {
    await expect(Builder().withFunctions({ a: (c: number) => c, b: (a: number) => a, c: (b: number) => b }).build()).rejects.toThrow(/cycle: (a|b|c) -> .* -> \1/);
    await expect(Builder().withFunctions({ a: () => 1 }).withFunctions({ a: () => 2 }).build()).rejects.toThrow(/'a' is defined twice/);
  });
});

describe('hooks', () => {
  it('calls before/after graph and node hooks with name, tags, duration and error', async () => {
    const events: string[] = [];
    const hook: Hook = {
      beforeGraph: (c) => events.push(`graph:start:${c.nodes.join(',')}`),
      beforeNode: (c) => events.push(`start:${c.node}`),
      afterNode: (r) => events.push(`end:${r.node}:${r.outcome}:${r.durationMs >= 0}:${r.error ? 'err' : 'ok'}`),
      afterGraph: (r) => events.push(`graph:${r.status}`),
    };
    const dr = await Builder().withFunctions({ a: () => 1, b: (a: number) => { if (a) throw new Error('x'); } }).withHooks(hook).build();
    await dr.run(['b']);
    expect(events).toEqual(['graph:start:a,b', 'start:a', 'end:a:done:true:ok', 'start:b', 'end:b:failed:true:err', 'graph:failed']);
  });
});
