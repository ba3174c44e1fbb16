/**
 * Rejects dependency cycles, spelling each one out with every node's location. Tarjan's strongly
 * connected components, written with an explicit stack: a 100k-deep chain must not overflow.
 */
import { formatLocation, type DiagnosticSink } from '../diagnostics.ts';
import type { NodeDraft } from '../graph/node-draft.ts';

/** Each cycle as a list of names, `a -> b -> a` meaning a feeds b feeds a. */
export function findCycles(producers: ReadonlyMap<string, readonly NodeDraft[]>): string[][] {
  const names = [...producers.keys()];
  // Edges in data-flow direction: producer -> consumer. We walk consumer -> dependency and reverse at the end.
  const deps = new Map<string, string[]>();
  for (const [name, group] of producers) {
    const out = new Set<string>();
    for (const d of group) for (const dep of d.deps) if (producers.has(dep.name)) out.add(dep.name);
    deps.set(name, [...out]);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  let next = 0;
  for (const start of names) {
    if (index.has(start)) continue;
    const work: { v: string; i: number }[] = [{ v: start, i: 0 }];
    index.set(start, next);
    low.set(start, next++);
    stack.push(start);
    onStack.add(start);
    while (work.length) {
      const frame = work[work.length - 1];
      const edges = deps.get(frame.v)!;
      if (frame.i < edges.length) {
        const w = edges[frame.i++];
        if (!index.has(w)) {
          index.set(w, next);
          low.set(w, next++);
          stack.push(w);
          onStack.add(w);
          work.push({ v: w, i: 0 });
        } else if (onStack.has(w)) {
          low.set(frame.v, Math.min(low.get(frame.v)!, index.get(w)!));
        }
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1].v;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.v)!));
      }
      if (low.get(frame.v) === index.get(frame.v)) {
        const component: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          component.push(w);
        } while (w !== frame.v);
        const selfLoop = component.length === 1 && deps.get(component[0])!.includes(component[0]);
        if (component.length > 1 || selfLoop) cycles.push(cycleWithin(new Set(component), deps));
      }
    }
  }
  return cycles;
}

/** One concrete cycle inside a strongly connected component, in data-flow order. */
function cycleWithin(component: ReadonlySet<string>, deps: ReadonlyMap<string, string[]>): string[] {
  const start = [...component].sort()[0];
  const path = [start];
  const at = new Map([[start, 0]]);
  let v = start;
  for (;;) {
    const w = deps.get(v)!.find((x) => component.has(x))!;
    const seen = at.get(w);
    if (seen !== undefined) {
      const loop = [...path.slice(seen), w];
      return loop.reverse();
    }
    at.set(w, path.length);
    path.push(w);
    v = w;
  }
}

export function checkCycles(producers: ReadonlyMap<string, readonly NodeDraft[]>, sink: DiagnosticSink): void {
  for (const cycle of findCycles(producers)) {
    const first = producers.get(cycle[0])![0];
    const where = [...new Set(cycle)].map((n) => `${n} at ${formatLocation(producers.get(n)![0].source)}`).join(', ');
    sink.report(
      'CYCLE',
      first.source,
      `dependency cycle: ${cycle.join(' -> ')} (${where}); '->' means 'feeds': break the cycle by removing or renaming one of these parameters`,
      cycle[0],
    );
  }
}
