/**
 * A delimited file's text encoding, detected from its first bytes when the source config does not
 * say, and single-byte files re-encoded as UTF-8 for DuckDB. Spreadsheet exports on Windows write
 * Windows-1252, which DuckDB's own `latin-1` refuses outright as soon as one byte in 0x80..0x9F
 * (`€`, `„`, `“`) occurs; so Latin-1 and Windows-1252 files are decoded here (the WHATWG decoder,
 * which reads every byte) into a scratch UTF-8 file that DuckDB then reads. So is big-endian UTF-16,
 * which DuckDB's `utf-16` reads as little-endian garbage.
 */
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import type { CsvEncoding } from '../source-config.ts';
import { canReadLines, openFileBytes } from './file-lines.ts';

/** Bytes read to decide: enough text to meet the first accented word of most exports. */
const DETECT_BYTES = 1 << 20;
/** Detection over the whole file (see {@link detectEncoding}). */
export const WHOLE_FILE = Number.POSITIVE_INFINITY;

export interface DetectedEncoding {
  readonly encoding: CsvEncoding;
  /** Why, in words, when it is not plain UTF-8. */
  readonly reason?: string;
  /** UTF-8 by default: the bytes read were all ASCII, so later bytes may still be another encoding. */
  readonly asciiOnly?: boolean;
  /** Set when the file is no text at all: what it looks like (`a ZIP archive (an .xlsx workbook?)`). */
  readonly binary?: string;
}

/** Files people name .csv that are not text, by their first bytes. */
const MAGIC: readonly { readonly bytes: readonly number[]; readonly what: string }[] = [
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: 'a ZIP archive (an .xlsx or .ods workbook? export it as CSV)' },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0], what: 'an old Office document (an .xls workbook? export it as CSV)' },
  { bytes: [0x1f, 0x8b], what: 'gzip-compressed (name it .csv.gz)' },
  { bytes: [0x28, 0xb5, 0x2f, 0xfd], what: 'zstd-compressed (name it .csv.zst)' },
  { bytes: [0x50, 0x41, 0x52, 0x31], what: 'a Parquet file (name it .parquet)' },
  { bytes: [...Buffer.from('SQLite format 3')], what: 'a SQLite database (name it .sqlite)' },
  { bytes: [0x25, 0x50, 0x44, 0x46], what: 'a PDF document' },
  { bytes: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG image' },
  { bytes: [0xff, 0xd8, 0xff], what: 'a JPEG image' },
];

/**
 * The encoding of `file` from its first `maxBytes` (a megabyte; {@link WHOLE_FILE} streams it all):
 * a byte order mark decides; then text that is valid UTF-8 is UTF-8; text with bytes that are no
 * UTF-8 and no multi-byte UTF-8 character at all is Windows-1252; mostly NUL at even or odd
 * offsets is UTF-16. A file that mixes valid and invalid UTF-8 stays UTF-8, so the broken lines
 * are reported as rejects with their bytes.
 */
export async function detectEncoding(file: string, maxBytes: number = DETECT_BYTES): Promise<DetectedEncoding> {
  if (!canReadLines(file)) return { encoding: 'utf-8' };
  const counts = new ByteCounts();
  const { stream, input } = openFileBytes(file);
  try {
    for await (const chunk of input) {
      counts.add(counts.size + chunk.length > maxBytes ? chunk.subarray(0, maxBytes - counts.size) : chunk);
      if (counts.size >= maxBytes) break;
    }
  } finally {
    stream.destroy();
  }
  const { first, size, multiByte, invalid, evenNul, oddNul } = counts;
  const magic = MAGIC.find((m) => m.bytes.every((b, i) => first[i] === b));
  if (magic) return { encoding: 'utf-8', binary: magic.what };
  if (first[0] === 0xff && first[1] === 0xfe) return { encoding: 'utf-16', reason: 'it starts with a UTF-16 byte order mark' };
  if (first[0] === 0xfe && first[1] === 0xff) return { encoding: 'utf-16be', reason: 'it starts with a big-endian UTF-16 byte order mark' };
  if (first[0] === 0xef && first[1] === 0xbb && first[2] === 0xbf) return { encoding: 'utf-8' };
  const half = size / 2;
  // ASCII characters in UTF-16 are a NUL and the byte: the NUL comes second (odd offsets) in
  // little-endian, first (even offsets) in big-endian.
  if (half >= 4 && oddNul > half * 0.4) return { encoding: 'utf-16', reason: 'every other byte is NUL' };
  if (half >= 4 && evenNul > half * 0.4) return { encoding: 'utf-16be', reason: 'every other byte is NUL, the first of each pair' };
  // Text has no NUL bytes; UTF-16 was told apart above.
  if (evenNul + oddNul > 0 && invalid > 0) return { encoding: 'utf-8', binary: 'binary data, not text (it holds NUL bytes)' };
  if (invalid > 0 && multiByte === 0) {
    const where = size < maxBytes ? 'it holds' : `its first ${maxBytes === DETECT_BYTES ? 'megabyte holds' : `${maxBytes} bytes hold`}`;
    return { encoding: 'windows-1252', reason: `${where} ${invalid} byte(s) that are not UTF-8 and no UTF-8 character` };
  }
  return { encoding: 'utf-8', ...(multiByte === 0 ? { asciiOnly: true } : {}) };
}

/**
 * Running counts over a byte stream: valid multi-byte UTF-8 characters, bytes that start none, and
 * NULs by offset parity. A character split between chunks is completed from the next one.
 */
class ByteCounts {
  multiByte = 0;
  invalid = 0;
  evenNul = 0;
  oddNul = 0;
  size = 0;
  readonly first: number[] = [];
  #carry: Buffer = Buffer.alloc(0);

  add(chunk: Buffer): void {
    for (let i = 0; this.first.length < 16 && i < chunk.length; i++) this.first.push(chunk[i]);
    const bytes = this.#carry.length > 0 ? Buffer.concat([this.#carry, chunk]) : chunk;
    const base = this.size - this.#carry.length;
    this.size += chunk.length;
    this.#carry = Buffer.alloc(0);
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i];
      if (b === 0) {
        if ((base + i) % 2 === 0) this.evenNul++;
        else this.oddNul++;
        continue;
      }
      if (b < 0x80) continue;
      const length = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
      // A character cut off by the end of the chunk waits for the next one (or the end: no evidence).
      if (length > 0 && i + length > bytes.length) {
        this.#carry = Buffer.from(bytes.subarray(i));
        return;
      }
      let ok = length > 0;
      for (let k = 1; ok && k < length; k++) ok = (bytes[i + k] & 0xc0) === 0x80;
      if (ok) {
        this.multiByte++;
        i += length - 1;
      } else {
        this.invalid++;
      }
    }
  }
}

/** Whether DuckDB reads this encoding itself (its `utf-16` is little-endian); the others are re-encoded by {@link writeAsUtf8}. */
export function duckdbReads(encoding: CsvEncoding): boolean {
  return encoding === 'utf-8' || encoding === 'utf-16';
}

/**
 * Writes `file` (a single-byte encoding or big-endian UTF-16, gunzipped for `.gz`) to `target` as
 * UTF-8, streaming. Line breaks stay where they are, so line numbers and record boundaries are the
 * original's.
 */
export async function writeAsUtf8(file: string, target: string, encoding: CsvEncoding): Promise<void> {
  if (!canReadLines(file)) throw new Error(`cannot decode '${file}' here (Node has no zstd reader); decompress it, or save it as UTF-8`);
  // WHATWG: 'latin1' and 'windows-1252' are one decoder that maps every byte to a character.
  // The UTF-16 decoder drops a byte order mark.
  const decoder = new TextDecoder(encoding === 'utf-16be' ? 'utf-16be' : 'windows-1252');
  const { stream, input } = openFileBytes(file);
  const out = createWriteStream(target);
  try {
    for await (const chunk of input) {
      if (!out.write(decoder.decode(chunk, { stream: true }))) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    }
    out.end(decoder.decode());
    await finished(out);
  } catch (error) {
    out.destroy();
    throw error;
  } finally {
    stream.destroy();
  }
}
