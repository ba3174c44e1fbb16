/** JSDoc/TSDoc tags that document a function without changing the node: always allowed. */
export const STANDARD_TAGS: ReadonlySet<string> = new Set([
  'param', 'arg', 'argument', 'returns', 'return', 'example', 'see', 'deprecated', 'throws', 'exception',
  'remarks', 'since', 'author', 'version', 'todo', 'link', 'linkcode', 'linkplain', 'inheritDoc', 'internal',
  'beta', 'alpha', 'experimental', 'public', 'privateRemarks', 'typeParam', 'template', 'defaultValue',
  'default', 'override', 'readonly', 'type', 'summary', 'note', 'packageDocumentation', 'license',
]);
