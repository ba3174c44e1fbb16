/**
 * `@when key=value` / `@whenNot key=value`: the node exists only when the run's config has
 * (or has not) that value. Variants of one node are written `name__variant`.
 */
import { malformed, parsePairs, type ModifierParser } from './types.ts';

function conditionParser(negate: boolean): ModifierParser {
  return (tag, mods, ctx) => {
    const pairs = parsePairs(tag.text);
    if (!pairs) return malformed(ctx, tag, `expected \`@${tag.name} key=value\` (one or more key=value pairs, values without spaces)`);
    for (const [key, value] of pairs) mods.when.push({ key, value, negate });
  };
}

export const parseWhen = conditionParser(false);
export const parseWhenNot = conditionParser(true);
