/**
 * `@extract_fields [field ...]`: besides itself, the node yields one node per field of its
 * object result (every property when no field is listed). Fields are checked against the result
 * type when the graph is expanded (graph/expand.ts), where the type is known.
 */
import { malformed, type ModifierParser } from './types.ts';

export const parseExtractFields: ModifierParser = (tag, mods, ctx) => {
  if (mods.extract) return malformed(ctx, tag, '@extract_fields is given twice; list every field in one tag');
  const fields = tag.text ? tag.text.split(/[ ,]+/).filter(Boolean) : undefined;
  const bad = fields?.find((f) => !/^[A-Za-z_$][\w$]*$/.test(f));
  if (bad !== undefined) return malformed(ctx, tag, `expected \`@extract_fields [field ...]\` with field names that are identifiers, got '${bad}'`);
  mods.extract = { fields, tag };
};
