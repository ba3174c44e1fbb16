/**
 * Value patterns (email, url, uuid, ...) as RE2 regular expressions, matched in DuckDB with
 * `regexp_full_match` over a sample of each VARCHAR column (see `sampleSurvey`).
 *
 * @example
 * ```ts
 * PATTERNS.find((p) => p.name === 'email')?.regex; // "[A-Za-z0-9._%+'-]+@..."
 * ```
 */

export interface PatternDefinition {
  readonly name: string;
  /** RE2 regex, matched against the whole trimmed value. */
  readonly regex: string;
  /**
   * SQL that every value the regex matches satisfies (lengths, a required character), given the
   * value's SQL: checked first, so most values never reach the regex.
   */
  readonly gate: (v: string) => string;
  readonly description: string;
}

/** Ordered from most to least specific: on equal match rates the earlier one is the column's pattern. */
export const PATTERNS: readonly PatternDefinition[] = [
  { name: 'uuid', regex: '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}', gate: (v) => `length(${v}) = 36`, description: 'UUID' },
  { name: 'email', regex: "[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}", gate: (v) => `contains(${v}, '@')`, description: 'e-mail address' },
  { name: 'url', regex: '(https?|ftp)://[^\\s/$.?#][^\\s]*|www\\.[^\\s]+\\.[^\\s]+', gate: (v) => `(contains(${v}, '://') OR starts_with(${v}, 'www.'))`, description: 'URL' },
  { name: 'ipv4', regex: '((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])', gate: (v) => `length(${v}) BETWEEN 7 AND 15 AND contains(${v}, '.')`, description: 'IPv4 address' },
  { name: 'ipv6', regex: '([0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}|(([0-9a-fA-F]{1,4}:){1,7}|:):(([0-9a-fA-F]{1,4}:){0,6}[0-9a-fA-F]{1,4})?', gate: (v) => `contains(${v}, ':')`, description: 'IPv6 address' },
  { name: 'mac_address', regex: '([0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}', gate: (v) => `length(${v}) = 17`, description: 'MAC address' },
  { name: 'iso_timestamp', regex: '[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?', gate: (v) => `length(${v}) >= 16 AND contains(${v}, ':')`, description: 'ISO 8601 timestamp' },
  { name: 'iso_date', regex: '[0-9]{4}-[0-9]{2}-[0-9]{2}', gate: (v) => `length(${v}) = 10`, description: 'ISO 8601 date' },
  { name: 'credit_card', regex: '([0-9]{4}[ -]?){3}[0-9]{4}|3[47][0-9]{2}[ -]?[0-9]{6}[ -]?[0-9]{5}', gate: (v) => `length(${v}) BETWEEN 15 AND 19`, description: 'payment card number (format only, no Luhn check)' },
  { name: 'phone', regex: '\\+[0-9]{1,3}[ .-]?(\\(?[0-9]{1,4}\\)?[ .-]?){1,4}[0-9]{2,6}|\\([0-9]{2,4}\\) ?[0-9]{3,4}[ .-]?[0-9]{3,4}|[0-9]{3}[.-][0-9]{3}[.-][0-9]{4}', gate: (v) => `(starts_with(${v}, '+') OR starts_with(${v}, '(') OR length(${v}) = 12)`, description: 'phone number' },
  { name: 'currency', regex: '([$€£¥]|US\\$|USD|EUR|GBP|JPY|CHF) ?[+-]?[0-9][0-9,. ]*|[+-]?[0-9][0-9,. ]* ?([$€£¥]|USD|EUR|GBP|JPY|CHF)', gate: (v) => `regexp_matches(${v}, '[$€£¥]|USD|EUR|GBP|JPY|CHF')`, description: 'money amount with a currency' },
  { name: 'percentage', regex: '[+-]?[0-9]+([.,][0-9]+)? ?%', gate: (v) => `contains(${v}, '%')`, description: 'percentage' },
  { name: 'postal_code', regex: '[0-9]{5}(-[0-9]{4})?|[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}|[A-Z][0-9][A-Z] ?[0-9][A-Z][0-9]|[0-9]{4} ?[A-Z]{2}', gate: (v) => `length(${v}) BETWEEN 5 AND 10`, description: 'postal code (US ZIP, UK, CA, NL)' },
  { name: 'hex_color', regex: '#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})', gate: (v) => `starts_with(${v}, '#')`, description: 'hex colour' },
];
