/**
 * Canonical content hash of a value: equal values hash equal however they were built (V8's own
 * serializer is not canonical: an array that went through a cache round trip re-serializes
 * differently). Plain-object keys are sorted; Map and Set keep their order, which is part of
 * their value. Returns undefined for what can't be versioned (functions, class instances, ...).
 */
import { createHash } from 'node:crypto';

export function fingerprint(value: unknown): string | undefined {
  const h = createHash('sha256');
  const parts: string[] = [];
  const flush = () => { if (parts.length) { h.update(parts.join('')); parts.length = 0; } };
  const seen = new Set<object>();
  const stack: unknown[] = [value];
  // Iterative walk; structural markers are pushed as strings prefixed with \u0001.
  while (stack.length) {
    const v = stack.pop();
    switch (typeof v) {
      case 'string':
        if (v.length > 0 && v.charCodeAt(0) === 1) { parts.push(v); break; }
        parts.push('s', String(v.length), ':', v);
        break;
      case 'number': parts.push('n', Object.is(v, -0) ? '-0' : String(v), ';'); break;
      case 'bigint': parts.push('b', v.toString(), ';'); break;
      case 'boolean': parts.push(v ? 'T' : 'F'); break;
      case 'undefined': parts.push('U'); break;
      case 'object': {
        if (v === null) { parts.push('N'); break; }
        if (seen.has(v)) return undefined; // shared or cyclic structure: not versioned canonically
        seen.add(v);
        if (Array.isArray(v)) {
          parts.push('[', String(v.length), ':');
          stack.push('\u0001]');
          for (let i = v.length - 1; i >= 0; i--) stack.push(v[i]);
          break;
        }
        if (v instanceof Date) { parts.push('D', String(v.getTime()), ';'); break; }
        if (ArrayBuffer.isView(v) || v instanceof ArrayBuffer) {
          const bytes = v instanceof ArrayBuffer ? new Uint8Array(v) : new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
          parts.push('A', v.constructor.name, String(bytes.byteLength), ':');
          flush();
          h.update(bytes);
          break;
        }
        if (v instanceof Map) {
          parts.push('M', String(v.size), ':');
          const entries = [...v];
          stack.push('\u0001}');
          for (let i = entries.length - 1; i >= 0; i--) stack.push(entries[i][1], entries[i][0]);
          break;
        }
        if (v instanceof Set) {
          parts.push('S', String(v.size), ':');
          const items = [...v];
          stack.push('\u0001}');
          for (let i = items.length - 1; i >= 0; i--) stack.push(items[i]);
          break;
        }
        if (v instanceof RegExp) { parts.push('R', v.source, '/', v.flags, ';'); break; }
        const proto = Object.getPrototypeOf(v);
        if (proto !== Object.prototype && proto !== null) return undefined;
        const keys = Object.keys(v).sort();
        parts.push('{', String(keys.length), ':');
        stack.push('\u0001}');
        for (let i = keys.length - 1; i >= 0; i--) stack.push((v as Record<string, unknown>)[keys[i]], keys[i]);
        break;
      }
      default:
        return undefined; // function, symbol
    }
    if (parts.length > 4096) flush();
  }
  flush();
  return h.digest('hex');
}
