/**
 * Dispatches a function's JSDoc tags to the modifier parsers (one file per modifier, like
 * Hamilton's function_modifiers/). Unknown tags are errors: a typo such as `@chek` must not
 * silently drop a check.
 */
import { suggest } from '../../engine/index.ts';
import type { RawTag } from '../scan/jsdoc.ts';
import { parseCache } from './cache.ts';
import { parseCheck } from './check.ts';
import { parseExtractFields } from './extract-fields.ts';
import { parseGate } from './gate.ts';
import { parseParameterize } from './parameterize.ts';
import { STANDARD_TAGS } from './standard-tags.ts';
import { parseTag } from './tag.ts';
import { emptyModifiers, type ModifierContext, type ModifierParser, type Modifiers } from './types.ts';
import { parseWhen, parseWhenNot } from './when.ts';

export type { Modifiers, ModifierContext, ParameterizeSpec } from './types.ts';

const PARSERS: ReadonlyMap<string, ModifierParser> = new Map([
  ['tag', parseTag],
  ['check', parseCheck],
  ['when', parseWhen],
  ['whenNot', parseWhenNot],
  ['extract_fields', parseExtractFields],
  ['parameterize', parseParameterize],
  ['gate', parseGate],
  ['cache', parseCache],
]);

export function parseModifiers(tags: readonly RawTag[], ctx: ModifierContext): Modifiers {
  const mods = emptyModifiers();
  for (const tag of tags) {
    const parser = PARSERS.get(tag.name);
    if (parser) {
      mods.text.push(`@${tag.name} ${tag.text}`);
      parser(tag, mods, ctx);
    } else if (!STANDARD_TAGS.has(tag.name)) {
      const close = suggest(tag.name, PARSERS.keys());
      const hint = close.length ? ` (did you mean ${close.map((c) => `@${c}`).join(', ')}?)` : '';
      ctx.sink.report(
        'UNKNOWN_TAG',
        { file: ctx.file, line: tag.line },
        `unknown JSDoc tag @${tag.name} on '${ctx.fnName}'${hint}; modifiers are ${[...PARSERS.keys()].map((k) => `@${k}`).join(', ')}, and standard JSDoc tags (@param, @returns, @example, ...) are allowed: fix or remove it`,
        ctx.fnName,
      );
    }
  }
  return mods;
}
