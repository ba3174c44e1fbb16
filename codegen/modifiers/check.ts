/**
 * `@check SchemaName [warn|fail]`: validate the node's output with an exported schema (zod or any
 * Standard Schema) of the node's module, or one the module imports. Default level: fail.
 */
import { malformed, type ModifierContext, type ModifierParser } from './types.ts';

export const parseCheck: ModifierParser = (tag, mods, ctx) => {
  const m = /^([A-Za-z_$][\w$]*)(?: (warn|fail))?$/.exec(tag.text);
  if (!m) return malformed(ctx, tag, 'expected `@check SchemaName [warn|fail]` naming an exported schema');
  const schema = resolve(m[1], tag.line, ctx);
  if (schema) mods.checks.push({ schema: schema.exportName, module: schema.module, level: (m[2] as 'warn' | 'fail' | undefined) ?? 'fail' });
};

/** Shared with `@gate`'s answer schema. */
export function resolve(name: string, line: number, ctx: ModifierContext) {
  const found = ctx.resolveSchema(name);
  if (!found) {
    ctx.sink.report(
      'SCHEMA_NOT_FOUND',
      { file: ctx.file, line },
      `schema '${name}' used by '${ctx.fnName}' is neither exported by its module nor imported into it; export it (e.g. \`export const ${name} = z.object({...})\`) or import it from the module that exports it`,
      ctx.fnName,
    );
  }
  return found;
}
