/**
 * Value serialization for checkpoints and the persistent cache: V8's structured serializer keeps
 * Date, bigint, Map, Set, RegExp, typed arrays and shared references. What it would silently turn
 * into something else (class instances, functions, native handles) is refused with the path to
 * the offending value.
 */
import { serialize as v8Serialize, deserialize as v8Deserialize } from 'node:v8';
import { DataraumError } from './errors.ts';

const PLAIN_PROTOS = new Set<unknown>([Object.prototype, Array.prototype, null]);

function isTypedArray(v: object): boolean {
  return ArrayBuffer.isView(v);
}

/** Returns a description of the first value that can't round-trip, or undefined. */
export function findUnserializable(value: unknown): string | undefined {
  const seen = new Set<object>();
  const stack: [unknown, string][] = [[value, '(root)']];
  while (stack.length) {
    const [v, path] = stack.pop()!;
    const t = typeof v;
    if (t === 'function') return `${path} is a function`;
    if (t === 'symbol') return `${path} is a symbol`;
    if (t !== 'object' || v === null) continue;
    const o = v as object;
    if (seen.has(o)) continue;
    seen.add(o);
    if (o instanceof Date || o instanceof RegExp || o instanceof ArrayBuffer || isTypedArray(o)) continue;
    if (o instanceof Error) continue;
    if (o instanceof Map) {
      let k = 0;
      for (const [mk, mv] of o) { stack.push([mk, `${path}.<key ${k}>`], [mv, `${path}.<value ${k}>`]); k++; }
      continue;
    }
    if (o instanceof Set) {
      let k = 0;
      for (const sv of o) stack.push([sv, `${path}.<item ${k++}>`]);
      continue;
    }
    const proto = Object.getPrototypeOf(o);
    if (!PLAIN_PROTOS.has(proto)) return `${path} is an instance of ${proto?.constructor?.name ?? 'an unknown class'}`;
    for (const key of Object.keys(o)) stack.push([(o as Record<string, unknown>)[key], `${path}.${key}`]);
  }
  return undefined;
}

/** Serializes a node's value; `node` names the culprit in the error. */
export function serializeValue(value: unknown, node: string): Buffer {
  const bad = findUnserializable(value);
  if (bad) {
    throw new DataraumError(
      'CACHE',
      `The value of '${node}' can't be stored: ${bad}. Mark the node '@cache ignore' (resources such as connections) or '@cache disable'.`,
    );
  }
  return v8Serialize(value);
}

/** Serializes a value already known to hold only plain data (e.g. one `fingerprint` accepted). */
export function serializeTrusted(value: unknown): Buffer {
  return v8Serialize(value);
}

export function deserializeValue(bytes: Uint8Array): unknown {
  return v8Deserialize(bytes);
}
