/**
 * Table and column names for staged data: lower snake_case, ASCII where a transliteration exists,
 * other letters (Cyrillic, CJK, ...) kept rather than thrown away, never empty, never colliding,
 * never a reserved SQL word, never starting with a digit. The original name always travels along,
 * so nothing the source called a column is lost.
 */

/** A sanitized name and the source's own name for it. */
export interface NamePair {
  readonly name: string;
  readonly originalName: string;
}

/** Longest name we produce: PostgreSQL truncates identifiers at 63 bytes; leave room for `_NN`. */
const MAX_LENGTH = 56;

/**
 * DuckDB's reserved and type/function keywords (`SELECT keyword_name FROM duckdb_keywords() WHERE
 * keyword_category IN ('reserved', 'type_function')`, DuckDB 1.5). Names we quote would work anyway;
 * suffixing them keeps hand-written SQL by people and LLMs working too.
 */
const RESERVED = new Set(
  (
    'all analyse analyze and any array as asc asymmetric both case cast check collate column constraint ' +
    'create default deferrable desc describe distinct do else end except false fetch for foreign from ' +
    'group having in initially intersect into lambda lateral leading limit not null offset on only or ' +
    'order pivot pivot_longer pivot_wider placing primary qualify references returning select show some ' +
    'summarize symmetric table then to trailing true union unique unpivot using variadic when where window ' +
    'with anti asof at authorization binary by collation columns concurrently cross freeze full generated ' +
    'glob ilike inner is isnull join left like map natural notnull outer overlaps positional right semi ' +
    'similar struct tablesample try_cast unpack verbose ' +
    // Virtual columns DuckDB adds to tables and to the raw Parquet files (rowid, file_row_number,
    // filename, file_index): a source column of that name would shadow the row numbers typing reads.
    'rowid file_row_number filename file_index'
  ).split(' '),
);

/** Letters NFKD does not decompose into ASCII: part of the word they are in. */
const LETTERS: Record<string, string> = {
  ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', đ: 'd', ð: 'd', þ: 'th', ł: 'l', ı: 'i', ŋ: 'ng', ħ: 'h', ŧ: 't',
};

/** Symbols that carry meaning in a column name (`price €`, `growth %`): words of their own. */
const SYMBOLS: Record<string, string> = {
  '€': 'eur', '£': 'gbp', '$': 'usd', '%': 'pct', '#': 'num', '&': 'and', '@': 'at', '+': 'plus',
};

/**
 * Sanitizes one name. Returns `''` when nothing usable is left (the caller picks a fallback).
 *
 * @example
 * ```ts
 * sanitizeName('Ünïcödé Name');  // 'unicode_name'
 * sanitizeName('select');        // 'select_'
 * sanitizeName('1st place');     // 'c_1st_place'
 * sanitizeName('Größe (cm)');    // 'grosse_cm'
 * sanitizeName('"; DROP x');     // 'drop_x'
 * ```
 */
export function sanitizeName(raw: string, digitPrefix = 'c'): string {
  // camelCase / PascalCase boundaries become word breaks: `OrderID` -> `order_id`.
  const split = raw
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2');
  let out = '';
  for (const ch of split.normalize('NFKD').toLowerCase()) {
    if (/\p{M}/u.test(ch)) continue; // combining accents left over from NFKD
    if (/[a-z0-9]/.test(ch)) out += ch;
    else if (ch in LETTERS) out += LETTERS[ch];
    else if (ch in SYMBOLS) out += `_${SYMBOLS[ch]}_`;
    else if (/[\p{L}\p{N}]/u.test(ch)) out += ch; // no transliteration known: keep the letter
    else out += '_';
  }
  out = out.replace(/_+/g, '_').replace(/^_|_$/g, '');
  if (out.length > MAX_LENGTH) out = out.slice(0, MAX_LENGTH).replace(/_$/, '');
  if (out === '') return '';
  if (/^[0-9]/.test(out)) out = `${digitPrefix}_${out}`;
  if (RESERVED.has(out)) out = `${out}_`;
  return out;
}

/**
 * Sanitizes a list of names (the columns of one table, or the tables of one source) into unique
 * names. Empty results become `<fallback>_<n>` (n is the 1-based position); a repeated name gets
 * `_2`, `_3`... while a name that was unique in the source keeps its spelling.
 *
 * @example
 * ```ts
 * uniqueNames(['id', '', 'ID', 'id_2', 'select']).map((n) => n.name);
 * // ['id', 'column_2', 'id_3', 'id_2', 'select_']
 * ```
 */
export function uniqueNames(originals: readonly string[], fallback = 'column', digitPrefix = 'c'): NamePair[] {
  const bases = originals.map((o, i) => sanitizeName(o, digitPrefix) || `${fallback}_${i + 1}`);
  // Names the source spelled this way are reserved first, so `id_2` in the source stays `id_2`
  // and a duplicate `id` goes to `id_3`.
  const wanted = new Set(bases);
  const used = new Set<string>();
  return bases.map((base, i) => {
    let name = base;
    if (used.has(name)) {
      let n = 2;
      do {
        const suffix = `_${n++}`;
        name = `${base.slice(0, MAX_LENGTH + 7 - suffix.length)}${suffix}`;
      } while (used.has(name) || wanted.has(name));
    }
    used.add(name);
    return { name, originalName: originals[i] };
  });
}

/**
 * Hands out unique names one at a time (tables of a folder, as files are discovered).
 *
 * @example
 * ```ts
 * const names = new NameAllocator('table', 't');
 * names.claim('Orders.csv'.replace(/\.csv$/, '')); // 'orders'
 * names.claim('orders');                            // 'orders_2'
 * ```
 */
export class NameAllocator {
  private readonly used = new Set<string>();
  private count = 0;
  constructor(
    private readonly fallback = 'table',
    private readonly digitPrefix = 't',
  ) {}

  /** Takes `name` exactly as it is, if no claim has yet; false when it is taken. */
  take(name: string): boolean {
    if (this.used.has(name)) return false;
    this.used.add(name);
    return true;
  }

  /** The first free name for `original`, passing over names `reserved` keeps for someone else. */
  claim(original: string, reserved: (name: string) => boolean = () => false): string {
    this.count++;
    const base = sanitizeName(original, this.digitPrefix) || `${this.fallback}_${this.count}`;
    let name = base;
    for (let n = 2; this.used.has(name) || reserved(name); n++) name = `${base}_${n}`;
    this.used.add(name);
    return name;
  }
}
