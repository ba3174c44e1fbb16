/**
 * A source file's physical lines as bytes, by number. Rejected rows need them: DuckDB's JSON reader
 * does not say which lines it could not read, and its CSV rejects show `?` for every byte that is
 * not UTF-8. Also how a file starts: DuckDB's JSON reader trips over a byte order mark. The file
 * is streamed (gzip when it ends in `.gz`, as DuckDB's readers decide), so memory stays flat
 * however large it is.
 */
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';

/** Whether {@link forEachLine} can read this file: Node 20 has no zstd decoder. */
export function canReadLines(file: string): boolean {
  return !/\.zst$/i.test(file);
}

/**
 * Calls `visit` with every line of `file` in order: its 1-based number, its bytes without the line
 * ending (`\n` or `\r\n`) and the byte offset where it starts. Stops reading as soon as `visit`
 * returns false.
 *
 * @example
 * ```ts
 * await forEachLine('events.ndjson', (line, bytes) => { if (line === 4) { seen = bytes; return false; } });
 * ```
 */
export async function forEachLine(file: string, visit: (line: number, bytes: Buffer, offset: number) => boolean | void): Promise<void> {
  const { stream, input } = openFileBytes(file);
  let line = 0;
  let offset = 0;
  const emit = (bytes: Buffer) => {
    const start = offset;
    offset += bytes.length + 1;
    return visit(++line, bytes.length && bytes[bytes.length - 1] === 0x0d ? bytes.subarray(0, -1) : bytes, start);
  };
  let carry: Buffer[] = [];
  try {
    for await (const chunk of input) {
      let start = 0;
      for (let nl = chunk.indexOf(0x0a); nl !== -1; nl = chunk.indexOf(0x0a, start)) {
        const piece = chunk.subarray(start, nl);
        const bytes = carry.length ? Buffer.concat([...carry, piece]) : piece;
        carry = [];
        start = nl + 1;
        if (emit(bytes) === false) return;
      }
      if (start < chunk.length) carry.push(chunk.subarray(start));
    }
    if (carry.length) emit(Buffer.concat(carry));
  } finally {
    stream.destroy();
  }
}

/**
 * The 1-based physical line each byte offset of `file` falls on: one more than the line breaks
 * before it. DuckDB's CSV rejects number records, not lines, so a quoted field holding line breaks
 * shifts every later number; their byte positions do not drift. Offsets past the end are left out.
 *
 * @example
 * ```ts
 * await linesAt('a.csv', [13]); // Map { 13 => 4 } for 'a,b\n1,"x\ny"\n2,z,extra\n'
 * ```
 */
export async function linesAt(file: string, offsets: readonly number[]): Promise<Map<number, number>> {
  const wanted = [...new Set(offsets)].sort((a, b) => a - b);
  const lines = new Map<number, number>();
  if (wanted.length === 0) return lines;
  const { stream, input } = openFileBytes(file);
  let next = 0;
  let base = 0;
  let breaks = 0;
  const count = (chunk: Buffer, from: number, to: number) => {
    for (let nl = chunk.indexOf(0x0a, from); nl !== -1 && nl < to; nl = chunk.indexOf(0x0a, nl + 1)) breaks++;
  };
  try {
    for await (const chunk of input) {
      const end = base + chunk.length;
      let from = 0;
      for (; next < wanted.length && wanted[next] <= end; next++) {
        const to = Math.max(from, wanted[next] - base);
        count(chunk, from, to);
        from = to;
        lines.set(wanted[next], breaks + 1);
      }
      if (next === wanted.length) break;
      count(chunk, from, chunk.length);
      base = end;
    }
  } finally {
    stream.destroy();
  }
  return lines;
}

/** Whether `bytes` start with a UTF-8 byte order mark (EF BB BF). */
export function hasBom(bytes: Buffer): boolean {
  return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

/**
 * How `file` starts: whether with a UTF-8 byte order mark, and the first byte after it that is not
 * JSON whitespace (undefined when there is none). Reads only that far, gunzipped for `.gz`.
 *
 * @example
 * ```ts
 * await fileStart('orders.json'); // { bom: true, first: 0x5b } for '\uFEFF  [{"id":1}]'
 * ```
 */
export async function fileStart(file: string): Promise<{ bom: boolean; first: number | undefined }> {
  const { stream, input } = openFileBytes(file);
  let head = Buffer.alloc(0); // the first bytes, until there are 3 to tell a BOM by
  let bom: boolean | undefined;
  try {
    for await (const chunk of input) {
      let bytes: Buffer = chunk;
      if (bom === undefined) {
        head = Buffer.concat([head, chunk]);
        if (head.length < 3) continue;
        bom = hasBom(head);
        bytes = bom ? head.subarray(3) : head;
      }
      const first = bytes.find((b) => !isJsonSpace(b));
      if (first !== undefined) return { bom, first };
    }
  } finally {
    stream.destroy();
  }
  return { bom: bom ?? false, first: bom === undefined ? head.find((b) => !isJsonSpace(b)) : undefined };
}

/** Space, tab, line feed or carriage return: the whitespace JSON allows between values. */
function isJsonSpace(b: number): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;
}

/** The file's bytes, gunzipped when its name ends in `.gz` (as DuckDB's readers decide). */
export function openFileBytes(file: string): { stream: ReturnType<typeof createReadStream>; input: AsyncIterable<Buffer> } {
  const stream = createReadStream(file);
  return { stream, input: /\.gz$/i.test(file) ? stream.pipe(createGunzip()) : stream };
}

/** Length of the well-formed UTF-8 sequence starting at `i`, or 0 when the byte there starts none. */
function utf8Length(bytes: Buffer, i: number): number {
  const lead = bytes[i];
  if (lead < 0x80) return 1;
  const n = lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
  if (n === 0 || i + n > bytes.length) return 0;
  // The second byte's range excludes overlong forms, surrogates and code points above U+10FFFF.
  const low = lead === 0xe0 ? 0xa0 : lead === 0xf0 ? 0x90 : 0x80;
  const high = lead === 0xed ? 0x9f : lead === 0xf4 ? 0x8f : 0xbf;
  if (bytes[i + 1] < low || bytes[i + 1] > high) return 0;
  for (let k = 2; k < n; k++) if ((bytes[i + k] & 0xc0) !== 0x80) return 0;
  return n;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * A line's text for a rejects table. Valid UTF-8 comes back as it is. Otherwise every byte that is
 * not part of a UTF-8 character is written `\xNN`, and a backslash `\\`, so the text maps back to
 * the exact bytes.
 *
 * @example
 * ```ts
 * lineText(Buffer.from([0x4d, 0xfc, 0x6e])); // { text: 'M\\xFCn', utf8: false }
 * ```
 */
export function lineText(bytes: Buffer): { text: string; utf8: boolean } {
  try {
    return { text: strictUtf8.decode(bytes), utf8: true };
  } catch {
    // not UTF-8: escape below
  }
  let text = '';
  let run = 0;
  for (let i = 0; i < bytes.length; ) {
    const n = utf8Length(bytes, i);
    if (n > 0) {
      i += n;
      continue;
    }
    text += bytes.toString('utf8', run, i).replaceAll('\\', '\\\\') + `\\x${bytes[i].toString(16).toUpperCase().padStart(2, '0')}`;
    run = ++i;
  }
  return { text: text + bytes.toString('utf8', run).replaceAll('\\', '\\\\'), utf8: false };
}
