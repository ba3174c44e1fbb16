/** Readable type text for the manifest: what a person would write, without absolute import paths. */
import { ts } from 'ts-morph';

const FLAGS =
  ts.TypeFormatFlags.NoTruncation |
  ts.TypeFormatFlags.UseAliasDefinedOutsideCurrentScope |
  ts.TypeFormatFlags.UseSingleQuotesForStringLiteralType;

/**
 * The checker prints types that are not in scope at `enclosing` as `import("/abs/path").Name`;
 * the manifest is committed, so machine-specific paths are dropped and only `Name` is kept.
 */
export function typeText(checker: ts.TypeChecker, type: ts.Type, enclosing: ts.Node): string {
  return checker.typeToString(type, enclosing, FLAGS).replace(/import\((?:"[^"]*"|'[^']*')\)\./g, '');
}
