/** `@tag key=value [key=value ...]`: free-form metadata; the same key twice makes an array. */
import { malformed, parsePairs, type ModifierParser } from './types.ts';

export const parseTag: ModifierParser = (tag, mods, ctx) => {
  const pairs = parsePairs(tag.text);
  if (!pairs) return malformed(ctx, tag, 'expected `@tag key=value` (one or more key=value pairs, values without spaces)');
  for (const [key, value] of pairs) {
    const prev = mods.tags[key];
    mods.tags[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
};
