/**
 * Column and table names as words: normalizing for pattern matching, humanizing for people
 * (`cust_nm` -> `Customer name`), and the glob/regex indicators ontologies use.
 */
import { isRegexIndicator } from '../../../config/ontology.ts';

/**
 * Abbreviations found in column names and what they stand for. Lower case; a token is expanded
 * only when it is the whole token (`amt` in `total_amt`, not in `amtrak`).
 */
export const ABBREVIATIONS: Readonly<Record<string, string>> = Object.freeze({
  acct: 'account', addr: 'address', adj: 'adjusted', amt: 'amount', avg: 'average', bal: 'balance',
  cat: 'category', cd: 'code', cnt: 'count', cogs: 'cost of goods sold', cty: 'city', ctry: 'country',
  cur: 'currency', ccy: 'currency', cust: 'customer', del: 'delivery', dept: 'department', desc: 'description',
  dim: 'dimension', disc: 'discount', dob: 'date of birth', dt: 'date', dttm: 'date and time', emp: 'employee',
  est: 'estimated', ext: 'extended', fk: 'foreign key', fname: 'first name', freq: 'frequency', fy: 'fiscal year',
  grp: 'group', hr: 'hour', hrs: 'hours', id: 'ID', ids: 'IDs', idx: 'index', img: 'image', inv: 'invoice',
  lat: 'latitude', lname: 'last name', lng: 'longitude', lon: 'longitude', loc: 'location', los: 'length of stay',
  max: 'maximum', mgr: 'manager', min: 'minimum', mo: 'month', mrn: 'medical record number', msg: 'message',
  nbr: 'number', nm: 'name', no: 'number', num: 'number', org: 'organization', pct: 'percent', pk: 'primary key',
  pmt: 'payment', pos: 'point of sale', prc: 'price', precip: 'precipitation', prod: 'product', qty: 'quantity',
  qtr: 'quarter', rcpt: 'receipt', ref: 'reference', rev: 'revenue', rx: 'prescription', seq: 'sequence',
  ship: 'shipping', sku: 'SKU', src: 'source', std: 'standard', stat: 'status', sz: 'size', tel: 'telephone',
  temp: 'temperature', tgt: 'target', tm: 'time', ts: 'timestamp', tx: 'transaction', txn: 'transaction',
  uom: 'unit of measure', upd: 'updated', usr: 'user', val: 'value', vol: 'volume', wt: 'weight', yr: 'year',
  ytd: 'year to date', zip: 'ZIP code', iata: 'IATA code', icao: 'ICAO code', url: 'URL', uuid: 'UUID',
  mpaa: 'MPAA', imdb: 'IMDB', dvd: 'DVD', us: 'US', usa: 'USA', vat: 'VAT', sla: 'SLA',
});

/**
 * A name as lower-case words joined by `_`: camelCase is split, anything other than letters and
 * digits separates words. `Worldwide Gross` -> `worldwide_gross`, `customerID` -> `customer_id`.
 */
export function normalizeName(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/**
 * A name for people: words split, abbreviations expanded, first letter capitalized.
 *
 * @example
 * ```ts
 * humanize('cust_nm');           // 'Customer name'
 * humanize('order_qty');         // 'Order quantity'
 * humanize('Worldwide Gross');   // 'Worldwide gross'
 * humanize('customerID');        // 'Customer ID'
 * humanize('running_time_min');  // 'Running time minutes'
 * humanize('zip_code');          // 'ZIP code'
 * ```
 */
export function humanize(name: string, abbreviations: Readonly<Record<string, string>> = ABBREVIATIONS): string {
  const tokens = normalizeName(name).split('_').filter(Boolean);
  const words: string[] = [];
  tokens.forEach((token, i) => {
    const expanded = expand(token, tokens[i - 1], abbreviations);
    // An expansion may end with the next token: `zip_code` is 'ZIP code', not 'ZIP code code'.
    const previous = i > 0 ? expand(tokens[i - 1]!, tokens[i - 2], abbreviations) : null;
    if (previous !== null && previous !== tokens[i - 1] && previous.toLowerCase().endsWith(` ${expanded.toLowerCase()}`)) return;
    words.push(expanded);
  });
  const text = words.join(' ');
  if (!text) return name;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Words after which `min`/`mins` is a unit of time, not a minimum: `running_time_min`, `duration_min`. */
const DURATION_WORDS = new Set(['time', 'duration', 'runtime', 'length', 'delay', 'elapsed', 'wait', 'uptime', 'downtime', 'playtime']);

function expand(word: string, previous: string | undefined, abbreviations: Readonly<Record<string, string>>): string {
  if ((word === 'min' || word === 'mins') && previous !== undefined && DURATION_WORDS.has(previous)) return 'minutes';
  return abbreviations[word] ?? word;
}

/** Whether a normalized name matches an ontology indicator (glob over the whole name, or `/regex/` searched case-insensitively). */
export function matchesIndicator(indicator: string, normalized: string): boolean {
  return indicatorRegex(indicator).test(normalized);
}

/** How specific an indicator is: an exact name (no wildcard) 1, a glob 0.8, a regex 0.7. */
export function indicatorSpecificity(indicator: string): number {
  if (isRegexIndicator(indicator)) return 0.7;
  return /[*?]/.test(indicator) ? 0.8 : 1;
}

const compiled = new Map<string, RegExp>();

function indicatorRegex(indicator: string): RegExp {
  let re = compiled.get(indicator);
  if (!re) {
    if (isRegexIndicator(indicator)) {
      re = new RegExp(indicator.slice(1, -1), 'i');
    } else {
      const body = normalizeGlob(indicator).split('').map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
      re = new RegExp(`^${body}$`);
    }
    compiled.set(indicator, re);
  }
  return re;
}

/** Globs are normalized like names, keeping their wildcards. */
function normalizeGlob(glob: string): string {
  return glob.split(/([*?])/).map((part) => (part === '*' || part === '?' ? part : part.toLowerCase().replace(/[^a-z0-9]+/g, '_'))).join('');
}

/**
 * A singular entity name from a table name: `airports` -> `airport`, `order_lines` ->
 * `order_line`, `categories` -> `category`, `flights-airport` -> `flight_airport`.
 */
export function entityFromTableName(table: string): string {
  const words = normalizeName(table).split('_').filter(Boolean);
  if (!words.length) return 'record';
  // Drop the typing prefix and a leading `dim`/`fact`/`tbl` marker.
  while (words.length > 1 && ['typed', 'raw', 'dim', 'fact', 'fct', 'tbl', 'stg'].includes(words[0]!)) words.shift();
  return words.map(singular).join('_');
}

const IRREGULAR: Readonly<Record<string, string>> = {
  people: 'person', children: 'child', species: 'species', men: 'man', women: 'woman', movies: 'movie', cookies: 'cookie',
  indices: 'index', matrices: 'matrix', analyses: 'analysis', statuses: 'status', addresses: 'address',
};

function singular(word: string): string {
  if (IRREGULAR[word]) return IRREGULAR[word];
  if (word.length <= 3 || /(ss|us|is|ics|data|news|series)$/.test(word)) return word;
  if (word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (/(xes|ches|shes|sses|zes)$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s')) return word.slice(0, -1);
  return word;
}
