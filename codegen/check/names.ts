/** Node names become property names and parameter names: they must be identifiers. */
import { ts } from 'ts-morph';
import type { DiagnosticSink } from '../diagnostics.ts';
import type { NodeDraft } from '../graph/node-draft.ts';

// ECMAScript reserved words (strict mode): never valid as parameter names.
const RESERVED = new Set(
  ('break case catch class const continue debugger default delete do else enum export extends false finally for ' +
    'function if import in instanceof new null return super switch this throw true try typeof var void while with ' +
    'implements interface let package private protected public static yield await').split(' '),
);

export function isValidNodeName(name: string): boolean {
  if (!name || RESERVED.has(name)) return false;
  for (let i = 0; i < name.length; ) {
    const cp = name.codePointAt(i)!;
    const ok = i === 0 ? ts.isIdentifierStart(cp, ts.ScriptTarget.ES2022) : ts.isIdentifierPart(cp, ts.ScriptTarget.ES2022);
    if (!ok) return false;
    i += cp > 0xffff ? 2 : 1;
  }
  return true;
}

/** Reports invalid names; returns the drafts that have valid ones. */
export function checkNames(drafts: readonly NodeDraft[], sink: DiagnosticSink): NodeDraft[] {
  return drafts.filter((d) => {
    if (isValidNodeName(d.name)) return true;
    sink.report(
      'INVALID_NAME',
      d.source,
      `node name '${d.name}' (${d.kind} from '${d.fn}') is not a valid identifier; node names are parameter names of their consumers, so use letters, digits, '_' or '$' and no reserved word`,
      d.name,
    );
    return false;
  });
}
