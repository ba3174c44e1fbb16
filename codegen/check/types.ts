/**
 * Every edge is checked with the TypeScript checker's own assignability (not by comparing type
 * text): the producer's value (Promise unwrapped, GateOutcome unwrapped for gates) must be
 * assignable to the consumer's parameter type. So `{ a: 1, b: 'x' }` feeds `{ a: number }`, and
 * `string` does not feed `number`.
 */
import type { ts } from 'ts-morph';
import { formatLocation, type DiagnosticSink } from '../diagnostics.ts';
import type { NodeDraft } from '../graph/node-draft.ts';

export function checkEdgeTypes(
  drafts: readonly NodeDraft[],
  producers: ReadonlyMap<string, readonly NodeDraft[]>,
  checker: ts.TypeChecker,
  sink: DiagnosticSink,
): void {
  for (const consumer of drafts) {
    for (const dep of consumer.deps) {
      if (!dep.paramType) continue;
      for (const producer of producers.get(dep.name) ?? []) {
        if (!producer.valueType || checker.isTypeAssignableTo(producer.valueType, dep.paramType)) continue;
        sink.report(
          'TYPE_MISMATCH',
          dep.location,
          `type mismatch: parameter '${dep.param}' of '${consumer.name}' expects \`${dep.type}\`, but node '${producer.name}' (${formatLocation(producer.source)}) produces \`${producer.type}\`; change one of the two types`,
          consumer.name,
        );
      }
    }
  }
}
