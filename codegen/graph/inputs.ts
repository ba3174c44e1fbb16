/**
 * A parameter name that no node produces is an input. Its type is the most specific consumer type
 * that every consumer accepts; if there is none, the consumers disagree and that is an error.
 */
import type { ts } from 'ts-morph';
import { formatLocation, type DiagnosticSink } from '../diagnostics.ts';
import type { DepDraft, NodeDraft } from './node-draft.ts';

interface Consumer {
  readonly node: NodeDraft;
  readonly dep: DepDraft;
}

export function deriveInputs(
  drafts: readonly NodeDraft[],
  producers: ReadonlyMap<string, readonly NodeDraft[]>,
  checker: ts.TypeChecker,
  sink: DiagnosticSink,
): NodeDraft[] {
  const consumers = new Map<string, Consumer[]>();
  for (const node of drafts) {
    for (const dep of node.deps) {
      if (producers.has(dep.name)) continue;
      let list = consumers.get(dep.name);
      if (!list) consumers.set(dep.name, (list = []));
      list.push({ node, dep });
    }
  }
  const inputs: NodeDraft[] = [];
  for (const [name, list] of consumers) {
    const chosen = list.find((c) => list.every((o) => o === c || !o.dep.paramType || !c.dep.paramType || checker.isTypeAssignableTo(c.dep.paramType, o.dep.paramType)));
    if (!chosen) {
      sink.report(
        'INPUT_TYPE_CONFLICT',
        list[0].dep.location,
        `input '${name}' is declared with incompatible types: ${list.map((c) => `\`${c.dep.type}\` by '${c.node.name}' (${formatLocation(c.dep.location)})`).join(', ')}; no value satisfies them all, so make the parameter types agree`,
        name,
      );
      continue;
    }
    const { node, dep } = chosen;
    inputs.push({
      name,
      kind: 'input',
      module: '',
      fn: '',
      deps: [],
      type: dep.type,
      doc: '',
      tags: {},
      checks: [],
      when: [],
      cache: 'default',
      async: false,
      source: dep.location,
      valueType: undefined,
      typeRef: { kind: 'param', module: node.module, fn: node.fn, index: dep.paramIndex },
      info: undefined,
      versionSalt: `input ${name}`,
      codeVersion: '',
    });
  }
  return inputs;
}
