/** `@cache default|recompute|disable|ignore`: how the persistent cache treats the node. */
import type { CacheBehavior } from '../../engine/index.ts';
import { malformed, type ModifierParser } from './types.ts';

const BEHAVIORS: readonly CacheBehavior[] = ['default', 'recompute', 'disable', 'ignore'];

export const parseCache: ModifierParser = (tag, mods, ctx) => {
  if (!(BEHAVIORS as readonly string[]).includes(tag.text)) {
    return malformed(ctx, tag, `expected \`@cache <behavior>\` with one of ${BEHAVIORS.join(', ')}`);
  }
  if (mods.cache !== undefined) return malformed(ctx, tag, `@cache is given twice; keep one`);
  mods.cache = tag.text as CacheBehavior;
};
