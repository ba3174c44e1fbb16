/**
 * Keeps real sensitive values from leaving the machine. A column is sensitive when its name
 * matches one of `privacy.sensitive_columns`, a value when it matches one of
 * `privacy.sensitive_values` (emails, phones, ssn, iban, card numbers). Sensitive values are
 * replaced by synthetic look-alikes of the same shape and length (letters -> letters, digits ->
 * digits, separators, `@` and `.` kept), derived from a keyed hash so that one value always maps
 * to the same stand-in within a process but cannot be recovered from it; or, in `omit` mode,
 * dropped.
 *
 * @example
 * ```ts
 * const guard = privacyGuard(config.privacy);
 * guard.sample('customers', 'email', ['ann@example.com']); // ['xqp@lwzbnfd.qoh']
 * ```
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { LlmConfig } from '../../config/llm.ts';

/** One key per process: stand-ins are consistent within a run, never reversible. */
const PROCESS_KEY = randomBytes(32);

export interface PrivacyGuard {
  /** Whether the column's name marks it sensitive. */
  isSensitiveColumn(column: string): boolean;
  /** The values safe to send for a column: stand-ins (or none, in omit mode) for sensitive ones. */
  sample(table: string, column: string, values: readonly unknown[]): unknown[];
  /** One value made safe (null when omitted). */
  value(table: string, column: string, value: unknown): unknown;
  /**
   * SQL text (a rule predicate) with its string literals made safe: every literal when one of
   * `columns` is sensitive, else the literals that look sensitive themselves.
   */
  sql(table: string, columns: readonly string[], sql: string): string;
}

export function privacyGuard(privacy: LlmConfig['privacy'], key: Buffer = PROCESS_KEY): PrivacyGuard {
  const columnPatterns = privacy.sensitive_columns.map((p) => new RegExp(p, 'i'));
  const valuePatterns = privacy.sensitive_values.map((p) => new RegExp(p));
  const isSensitiveColumn = (column: string) => columnPatterns.some((r) => r.test(column));
  const isSensitiveValue = (v: string) => valuePatterns.some((r) => r.test(v));
  const value = (_table: string, column: string, v: unknown): unknown => {
    if (v === null || v === undefined) return v;
    const text = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'bigint' ? String(v) : null;
    if (text === null) return isSensitiveColumn(column) ? null : v;
    if (!isSensitiveColumn(column) && !isSensitiveValue(text)) return v;
    if (privacy.mode === 'omit') return null;
    const fake = syntheticLookalike(text, key);
    return typeof v === 'string' ? fake : Number(fake);
  };
  const sql = (table: string, columns: readonly string[], text: string): string => {
    const sensitive = columns.some(isSensitiveColumn);
    return text.replace(/'((?:[^']|'')*)'/g, (literal, body: string) => {
      const v = body.replaceAll("''", "'");
      if (!sensitive && !isSensitiveValue(v)) return literal;
      const safe = privacy.mode === 'omit' ? '' : syntheticLookalike(v, key);
      return `'${safe.replaceAll("'", "''")}'`;
    });
  };
  return {
    isSensitiveColumn,
    value,
    sql,
    sample(table, column, values) {
      const out = values.map((v) => value(table, column, v));
      return privacy.mode === 'omit' ? out.filter((v) => v !== null) : out;
    },
  };
}

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = LOWER.toUpperCase();

/**
 * A stand-in with the shape of `value`: each letter becomes a letter of the same case, each digit
 * a digit, anything else (separators, `@`, `.`, spaces) stays. Keyed hash: deterministic per
 * value and key. Never returns the input unchanged when it has a letter or digit.
 */
export function syntheticLookalike(value: string, key: Buffer = PROCESS_KEY): string {
  let stream = Buffer.alloc(0);
  for (let block = 0; stream.length < value.length * 2; block++) {
    stream = Buffer.concat([stream, createHmac('sha256', key).update(`${block}\u0000${value}`).digest()]);
  }
  const chars = [...value];
  let out = '';
  chars.forEach((ch, i) => {
    const r = stream[i % stream.length]!;
    if (ch >= '0' && ch <= '9') {
      // First digit never 0: a number keeps its magnitude.
      out += i === 0 && chars.length > 1 ? String(1 + (r % 9)) : String(r % 10);
    } else if (LOWER.includes(ch)) out += LOWER[r % 26];
    else if (UPPER.includes(ch)) out += UPPER[r % 26];
    else if (/\p{L}/u.test(ch)) out += ch === ch.toUpperCase() ? UPPER[r % 26] : LOWER[r % 26];
    else out += ch;
  });
  if (out === value && /[\p{L}\d]/u.test(value)) return syntheticLookalike(`${value}\u0000`, key).slice(0, value.length);
  return out;
}
