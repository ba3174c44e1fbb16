/** Short texts shared by every renderer: types, durations, conditions. */
import type { ManifestCondition } from '../engine/index.ts';

/** Longest type text shown inside a node; the full text stays in tooltips and the side panel. */
export const MAX_TYPE_LENGTH = 42;

/**
 * Makes a type readable inside a node: drops `import("...")` qualifiers, collapses whitespace,
 * hides nested object literal bodies, and cuts what is still too long with an ellipsis.
 *
 * @example
 * ```ts
 * shortType('import("/p/types").Row[]'); // 'Row[]'
 * shortType('{ a: { b: string; c: number }; d: string }'); // '{ a: {…}; d: string }'
 * ```
 */
export function shortType(type: string, max = MAX_TYPE_LENGTH): string {
  let t = type.replace(/import\((?:"[^"]*"|'[^']*')\)\./g, '').replace(/\s+/g, ' ').trim();
  if (t.length <= max) return t;
  t = collapseNestedBraces(t);
  if (t.length <= max) return t;
  return t.slice(0, max - 1).trimEnd() + '…';
}

/** Replaces the body of every `{ ... }` nested inside another one with `…`. */
function collapseNestedBraces(t: string): string {
  let out = '';
  let depth = 0;
  for (const ch of t) {
    if (ch === '{') {
      depth++;
      if (depth === 2) out += '{…';
      else if (depth < 2) out += ch;
    } else if (ch === '}') {
      if (depth === 2) out += '}';
      else if (depth < 2) out += ch;
      depth = Math.max(0, depth - 1);
    } else if (depth < 2) {
      out += ch;
    }
  }
  return out;
}

/**
 * Human duration: `0.4 ms`, `12 ms`, `3.2 s`, `2 min 5 s`.
 *
 * @example
 * ```ts
 * formatDuration(1234); // '1.2 s'
 * ```
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '';
  if (ms < 10) return `${Math.round(ms * 10) / 10} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${Math.round(ms / 100) / 10} s`;
  const min = Math.floor(ms / 60_000);
  return `${min} min ${Math.round((ms - min * 60_000) / 1000)} s`;
}

/**
 * The `@when` conditions of a node as one line: `mode=fast & region!=eu`.
 *
 * @example
 * ```ts
 * conditionText([{ key: 'mode', value: 'fast', negate: false }]); // 'mode=fast'
 * ```
 */
export function conditionText(when: readonly ManifestCondition[]): string {
  return when.map((c) => `${c.key}${c.negate ? '!=' : '='}${c.value}`).join(' & ');
}

/**
 * Does every condition hold under `config`? (An absent key never equals a value.)
 *
 * @example
 * ```ts
 * conditionsHold([{ key: 'mode', value: 'fast', negate: true }], { mode: 'exact' }); // true
 * ```
 */
export function conditionsHold(when: readonly ManifestCondition[], config: Readonly<Record<string, string>>): boolean {
  return when.every((c) => {
    const actual = Object.hasOwn(config, c.key) ? config[c.key] : undefined;
    return c.negate ? actual !== c.value : actual === c.value;
  });
}
