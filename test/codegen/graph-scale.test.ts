/**
 * Depth is never a limit: cycle detection is iterative (a 100k-deep chain must not overflow the
 * stack), and a generated module with a long dependency chain builds in one pass.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildManifest, findCycles } from '../../codegen/index.ts';
import type { NodeDraft } from '../../codegen/graph/node-draft.ts';

function chain(n: number, closeRing: boolean): Map<string, NodeDraft[]> {
  const producers = new Map<string, NodeDraft[]>();
  for (let i = 0; i < n; i++) {
    const dep = i > 0 ? `n${i - 1}` : closeRing ? `n${n - 1}` : 'seed';
    // findCycles reads names and deps only.
    producers.set(`n${i}`, [{ name: `n${i}`, deps: [{ name: dep }] } as unknown as NodeDraft]);
  }
  return producers;
}

describe('graph scale', () => {
  it('finds no cycle in a 100k-deep chain, and the whole ring when it is closed', () => {
    expect(findCycles(chain(100_000, false))).toEqual([]);
    const [ring] = findCycles(chain(100_000, true));
    expect(ring).toHaveLength(100_001);
    expect(ring[0]).toBe(ring[ring.length - 1]);
  });

  it('builds a generated 1,000-node chain module with a shared helper', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dataraum-codegen-scale-'));
    try {
      const lines = ['function _step(x: number): number { return x + 1; }', 'export function n0(seed: number): number { return _step(seed); }'];
      for (let i = 1; i < 1000; i++) lines.push(`/** Step ${i}. */\nexport function n${i}(n${i - 1}: number): number { return _step(n${i - 1}); }`);
      fs.writeFileSync(path.join(dir, 'chain.ts'), lines.join('\n'));
      const r = buildManifest([path.join(dir, 'chain.ts')], { dataflow: 'chain', manifestDir: path.join(dir, 'df'), projectRoot: dir });
      expect(r.diagnostics).toEqual([]);
      expect(r.manifest!.nodes).toHaveLength(1001);
      expect(r.manifest!.nodes[999]).toMatchObject({ name: 'n999', deps: [{ name: 'n998' }], source: { file: 'chain.ts', line: 2000 } });
      expect(r.manifest!.nodes[1000]).toMatchObject({ name: 'seed', kind: 'input' });
      expect(r.text).toContain("'../chain.ts': () => import('../chain.ts'),");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
