/**
 * `@parameterize newName param=<value> other=@node ...` (one tag per generated node): the function
 * becomes one node per tag. `param=@x` wires the parameter to node `x`; a JSON literal binds a
 * value. Parameters not mentioned stay wired by their own name.
 */
import type { Binding } from '../../engine/index.ts';
import { malformed, type ModifierParser } from './types.ts';

const EXPECTED = 'expected `@parameterize newName param=<JSON literal> other=@nodeName ...`, e.g. `@parameterize dailyMax window=7 source=@rawWeather`';

export const parseParameterize: ModifierParser = (tag, mods, ctx) => {
  const parsed = parseParameterizeText(tag.text);
  if (typeof parsed === 'string') return malformed(ctx, tag, `${parsed}; ${EXPECTED}`);
  mods.parameterize.push({ name: parsed.name, bindings: parsed.bindings, tag });
};

/** Returns the parsed spec, or a sentence saying what is wrong. */
export function parseParameterizeText(text: string): { name: string; bindings: Map<string, Binding> } | string {
  const head = /^([A-Za-z_$][\w$]*)(?:\s+|$)/.exec(text);
  if (!head) return text ? `'${text.split(' ')[0]}' is not a valid node name` : 'the new node name is missing';
  const bindings = new Map<string, Binding>();
  let i = head[0].length;
  while (i < text.length) {
    const key = /^([A-Za-z_$][\w$]*)=/.exec(text.slice(i));
    if (!key) return `expected param=value at '${text.slice(i)}'`;
    const param = key[1];
    if (bindings.has(param)) return `parameter '${param}' is bound twice`;
    i += key[0].length;
    if (text[i] === '@') {
      const ref = /^@([A-Za-z_$][\w$]*)/.exec(text.slice(i));
      if (!ref) return `'${param}=@' must be followed by a node name`;
      bindings.set(param, { node: ref[1] });
      i += ref[0].length;
    } else {
      const end = scanJsonValue(text, i);
      const literal = text.slice(i, end);
      if (!literal) return `the value of '${param}' is missing`;
      try {
        bindings.set(param, { value: JSON.parse(literal) as unknown });
      } catch {
        return `the value of '${param}' (\`${literal}\`) is not a JSON literal (strings need double quotes; use @name for a node)`;
      }
      i = end;
    }
    if (i < text.length && text[i] !== ' ') return `expected a space after the value of '${param}'`;
    while (text[i] === ' ') i++;
  }
  return { name: head[1], bindings };
}

/** End index of the JSON value starting at `start`: a string, a bracketed value, or a bare word. */
function scanJsonValue(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') {
        inString = false;
        if (depth === 0) return i + 1;
      }
    } else if (c === '"') inString = true;
    else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') {
      depth--;
      if (depth === 0) return i + 1;
    } else if (c === ' ' && depth === 0) return i;
  }
  return text.length;
}
