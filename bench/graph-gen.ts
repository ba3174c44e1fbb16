/** Generates the benchmark graph shapes as node-module source text and as plain functions. */

/** 100 wide x 100 deep; each node depends on 2 nodes of the previous layer. */
export function layeredModuleSource(width: number, depth: number): string {
  const lines: string[] = ['// Generated benchmark graph: trivial nodes, each adding two values of the previous layer.'];
  for (let l = 0; l < depth; l++) {
    for (let w = 0; w < width; w++) {
      const name = `n_${l}_${w}`;
      if (l === 0) lines.push(`export function ${name}(seed: number): number { return seed + ${w}; }`);
      else {
        const a = `n_${l - 1}_${w}`;
        const b = `n_${l - 1}_${(w + 1) % width}`;
        lines.push(`export function ${name}(${a}: number, ${b}: number): number { return (${a} + ${b}) % 1000003; }`);
      }
    }
  }
  return lines.join('\n') + '\n';
}

export function layeredNames(width: number, depth: number): string[][] {
  return Array.from({ length: depth }, (_, l) => Array.from({ length: width }, (_, w) => `n_${l}_${w}`));
}
