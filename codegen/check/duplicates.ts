/**
 * One name, one producer, except for config variants (`name__a` with `@when`, `name__b` with
 * `@whenNot`...): several producers of a name are fine only if every one carries conditions, and
 * no two carry the same conditions.
 */
import { formatLocation, type DiagnosticSink } from '../diagnostics.ts';
import type { NodeDraft } from '../graph/node-draft.ts';

export function checkDuplicates(producers: ReadonlyMap<string, readonly NodeDraft[]>, sink: DiagnosticSink): void {
  for (const [name, group] of producers) {
    if (group.length < 2) continue;
    const where = group.map((d) => `'${d.fn}' at ${formatLocation(d.source)}`).join(', ');
    const unconditional = group.filter((d) => d.when.length === 0);
    if (unconditional.length) {
      sink.report(
        'DUPLICATE_NODE',
        unconditional[0].source,
        `node '${name}' is produced ${group.length} times: ${where}; rename one, or make them config variants (\`${name}__a\`, \`${name}__b\`) that each carry @when/@whenNot`,
        name,
      );
      continue;
    }
    const seen = new Map<string, NodeDraft>();
    for (const d of group) {
      const key = d.when.map((c) => `${c.negate ? '!' : ''}${c.key}=${c.value}`).sort().join('&');
      const prev = seen.get(key);
      if (prev) {
        sink.report(
          'DUPLICATE_NODE',
          d.source,
          `variants '${prev.fn}' (${formatLocation(prev.source)}) and '${d.fn}' (${formatLocation(d.source)}) of node '${name}' have the same conditions, so config cannot choose between them; give them different @when/@whenNot`,
          name,
        );
      } else seen.set(key, d);
    }
  }
}
