/** Reads a node function's doc comment: its first line and its tags, each with its line. */
import type { FunctionDeclaration, VariableStatement } from 'ts-morph';
import { lineOf } from '../paths.ts';

export interface RawTag {
  /** Tag name without '@'. */
  readonly name: string;
  /** The tag's text after its name, trimmed ('' when none). */
  readonly text: string;
  readonly line: number;
}

export interface DocComment {
  /** First non-empty line of the description. */
  readonly doc: string;
  readonly tags: readonly RawTag[];
}

/**
 * Only the last doc comment counts: it is the one directly above the function (an earlier one
 * is usually a file header that TypeScript also attaches to the first statement).
 */
export function readDocComment(host: FunctionDeclaration | VariableStatement): DocComment {
  const docs = host.getJsDocs();
  const last = docs[docs.length - 1];
  if (!last) return { doc: '', tags: [] };
  const doc =
    last
      .getDescription()
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l.length > 0) ?? '';
  const tags = last.getTags().map((t) => ({
    name: t.getTagName(),
    text: (t.getCommentText() ?? '').replace(/\s+/g, ' ').trim(),
    line: lineOf(t),
  }));
  return { doc, tags };
}
