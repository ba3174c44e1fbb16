/**
 * Name evidence for foreign keys: does a child column's name point at a table and its key
 * (`customer_id -> customers.id`, `cust_id -> customer.customer_id`, `fk_customer`,
 * `manager_id -> employees.id`), and does a column look like its own table's key?
 * Pure functions over names; no data.
 */

/** Trailing tokens that mark a column as a key (`customer_id`, `country_code`, `order_no`). */
const KEY_SUFFIXES = new Set(['id', 'key', 'code', 'fk', 'no', 'nr', 'num', 'number', 'ref', 'pk', 'uuid', 'guid', 'sk']);
/** Leading tokens that mark a column as a reference (`fk_customer`, `id_customer`). */
const KEY_PREFIXES = new Set(['fk', 'id', 'ref']);
/** Columns named only this are their table's own key. */
const BARE_KEYS = new Set(['id', 'key', 'pk', 'rowid', 'code', 'uuid', 'guid', 'oid']);
/** Table-name prefixes that say nothing about the entity (`dim_customer`, `lookup_people`). */
const TABLE_PREFIXES = new Set(['tbl', 'tb', 'dim', 'fact', 'fct', 'lkp', 'lookup', 'ref', 'stg', 'src', 'raw', 'typed', 'd', 'f', 't']);
const IRREGULAR: Record<string, string> = {
  people: 'person', persons: 'person', men: 'man', women: 'woman', children: 'child', staff: 'staff',
  criteria: 'criterion', indices: 'index', matrices: 'matrix', mice: 'mouse', geese: 'goose', feet: 'foot',
  teeth: 'tooth', movies: 'movie', cookies: 'cookie', pies: 'pie', ties: 'tie', data: 'data', media: 'media', series: 'series', species: 'species', news: 'news',
};
/** Role words that name a person-like row: `manager_id`, `reports_to`, `created_by`, `support_rep_id`. */
const PERSON_ROLES = new Set([
  'manager', 'supervisor', 'boss', 'lead', 'leader', 'owner', 'creator', 'author', 'reporter', 'reviewer',
  'approver', 'assignee', 'rep', 'representative', 'salesperson', 'seller', 'agent', 'cashier', 'clerk',
  'mentor', 'coach', 'head', 'chief', 'director', 'reports_to', 'report_to', 'by', 'doctor', 'physician',
  'nurse', 'attending', 'prescriber', 'prescribing', 'surgeon', 'consultant', 'recruiter', 'interviewer', 'signer', 'referrer', 'referring', 'sponsor', 'buyer', 'handler', 'instructor', 'teacher',
]);
/** Tables whose rows are people, for the roles above. */
const PERSON_TABLES = new Set(['employee', 'staff', 'user', 'person', 'member', 'worker', 'personnel', 'emp', 'account', 'agent', 'physician', 'doctor', 'provider', 'teacher', 'instructor', 'manager']);
/** Words of attributes that many tables share without referencing each other. */
const ATTRIBUTE_WORDS = new Set([
  'date', 'time', 'timestamp', 'datetime', 'year', 'month', 'day', 'week', 'quarter', 'hour', 'period', 'name', 'title', 'label',
  'description', 'desc', 'comment', 'note', 'notes', 'text', 'city', 'state', 'country', 'region', 'zip', 'postal', 'address',
  'phone', 'email', 'url', 'type', 'kind', 'status', 'category', 'value', 'amount', 'price', 'cost', 'total', 'count', 'qty',
  'quantity', 'rate', 'score', 'rating', 'level', 'version', 'created', 'updated', 'modified', 'first', 'last', 'age', 'gender', 'sex',
]);
const PREPOSITIONS = new Set(['via', 'by', 'to', 'from', 'for', 'of']);
/** A graph's edge ends (`source`/`target`, `from`/`to`, `src_node`) in an edge table point at its node table's key (node-link JSON, d3, networkx, edge lists). */
const EDGE_ENDS = new Set(['source', 'target', 'src', 'dst', 'from', 'to', 'tail', 'head', 'start', 'end']);
const EDGE_TABLES = new Set(['link', 'edge', 'arc', 'connection']);
const NODE_TABLES = new Set(['node', 'vertex', 'vertice']);
/** Roles that point back into the same table (hierarchies). */
const SELF_ROLES = new Set(['parent', 'reports_to', 'report_to', 'manager', 'supervisor', 'boss', 'predecessor', 'successor', 'previous', 'prev', 'next', 'superior', 'master']);

/** Lower-case word tokens of an identifier: `CustomerID` -> `customer id`, `order-items` -> `order items`. */
export function _tokens(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((t) => t.length > 0);
}

/** English singular of one lower-case word (good enough for table names). */
export function _singular(word: string): string {
  if (IRREGULAR[word]) return IRREGULAR[word];
  if (word.length <= 3) return word;
  if (word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (/(ss|us|is)$/.test(word)) return word;
  if (/(sses|uses|xes|ches|shes|zes)$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s')) return word.slice(0, -1);
  return word;
}

function singularTokens(tokens: readonly string[]): string[] {
  return tokens.length ? [...tokens.slice(0, -1), _singular(tokens[tokens.length - 1])] : [];
}

/** A column name split into its entity stem and key marker: `fk_customer_id` -> stem `customer`. */
export interface ColumnNameParts {
  readonly tokens: readonly string[];
  /** Tokens without key prefix/suffix, last one singular. */
  readonly stem: readonly string[];
  /** Has a key suffix or prefix (`_id`, `_key`, `_code`, `fk_`, ...), or is a bare key name. */
  readonly keyShaped: boolean;
}

/** Is `short` the start of `word` read as initials or a contraction (`ps` of `partsupp`, `l` of `lineitem`)? */
function initialsOf(short: string, word: string): boolean {
  if (!short.length || short[0] !== word[0]) return false;
  let i = 0;
  for (const ch of word) if (ch === short[i]) i++;
  return i === short.length;
}

/** Glued key suffixes (`customerid`, `custkey`, `zipcode`) and the shortest stem left in front of them. */
const GLUED_SUFFIXES: readonly [string, number][] = [['id', 4], ['key', 3], ['code', 3]];

/**
 * The parts of a column name. With its `table`, a short prefix that abbreviates the table
 * (`o_custkey` in `orders`, `ps_suppkey` in `partsupp`, TPC-H style) is dropped first.
 */
export function _columnParts(name: string, table?: string): ColumnNameParts {
  let tokens = _tokens(name);
  if (table && tokens.length > 1 && tokens[0].length <= 2 && !KEY_PREFIXES.has(tokens[0]) && initialsOf(tokens[0], _tokens(table).join(''))) tokens = tokens.slice(1);
  // A glued key suffix (`customerid`, `custkey`): split it, so it reads like `customer_id`.
  if (tokens.length === 1) {
    const glued = GLUED_SUFFIXES.find(([suffix, min]) => tokens[0].endsWith(suffix) && tokens[0].length >= suffix.length + min);
    if (glued) tokens = [tokens[0].slice(0, -glued[0].length), glued[0]];
  }
  let stem = [...tokens];
  let keyShaped = tokens.length === 1 && BARE_KEYS.has(tokens[0]);
  if (stem.length > 1 && KEY_SUFFIXES.has(stem[stem.length - 1])) { stem = stem.slice(0, -1); keyShaped = true; }
  if (stem.length > 1 && KEY_PREFIXES.has(stem[0])) { stem = stem.slice(1); keyShaped = true; }
  return { tokens, stem: singularTokens(stem), keyShaped };
}

/** The entity a table holds, singular, without prefixes: `lookup_people` -> `person`, `order_items` -> `order_item`. */
export function _tableStem(table: string): string[] {
  let tokens = _tokens(table);
  while (tokens.length > 1 && TABLE_PREFIXES.has(tokens[0])) tokens = tokens.slice(1);
  return singularTokens(tokens);
}

const eq = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((t, i) => t === b[i]);
const endsWith = (a: readonly string[], b: readonly string[]) => a.length > b.length && eq(a.slice(a.length - b.length), b);

/** Is `abbr` an abbreviation of `word`: a prefix (`cust` of `customer`) or an in-order subsequence from the same first letter (`dept`). */
function abbreviates(abbr: string, word: string): 'prefix' | 'subsequence' | null {
  if (abbr.length < 3 || abbr.length >= word.length) return null;
  if (word.startsWith(abbr)) return 'prefix';
  if (abbr[0] !== word[0]) return null;
  let i = 0;
  for (const ch of word) if (ch === abbr[i]) i++;
  return i === abbr.length ? 'subsequence' : null;
}

/**
 * How well a column's entity stem names a table: 1 exact (`customer` ~ `customers`), 0.85 for an
 * abbreviation (`cust`), 0.8 when a role prefixes it (`billing_customer`, `origin_airport`), 0.7
 * for the table's last word (`item` ~ `order_items`).
 */
export function _stemMatchesTable(stem: readonly string[], table: string): { score: number; rule: string } | null {
  const t = _tableStem(table);
  if (!stem.length || !t.length) return null;
  if (eq(stem, t) || stem.join('') === t.join('')) return { score: 1, rule: 'stem=table' };
  if (stem.length === 1 && t.length === 1) {
    const how = abbreviates(stem[0], t[0]);
    if (how === 'prefix') return { score: 0.85, rule: 'abbreviation' };
    if (how === 'subsequence') return { score: 0.75, rule: 'abbreviation' };
  }
  if (endsWith(stem, t)) return { score: 0.8, rule: 'role+table' };
  if (t.length > 1 && eq(stem, t.slice(-1))) return { score: 0.7, rule: 'table-last-word' };
  return null;
}

/**
 * How much a column looks like its own table's key: 1 for `id` or `<table>_id`, 0.85 for the
 * first column, 0.6 for a possible natural key (`sku`), 0.5 for other key-shaped names
 * (`zip_code` in `stores`), 0.4 for common attributes (`city`, `email`).
 * Only meaningful for unique columns.
 */
export function _keyness(column: string, table: string, position: number): number {
  const parts = _columnParts(column, table);
  if (parts.tokens.length === 1 && BARE_KEYS.has(parts.tokens[0])) return 1;
  if (parts.keyShaped && (_stemMatchesTable(parts.stem, table)?.score ?? 0) >= 0.85) return 1;
  if (position === 0) return 0.85;
  if (parts.keyShaped) return 0.5;
  // A unique column named for no common attribute (`sku`, `isbn`, `username`) may be a natural key.
  return parts.tokens.some((t) => ATTRIBUTE_WORDS.has(t)) ? 0.4 : 0.6;
}

/** Is the column its own table's key by name (`id`, `customer_id` in `customers`): never a foreign key child. */
export function _isOwnKeyName(column: string, table: string): boolean {
  const parts = _columnParts(column, table);
  if (parts.tokens.length === 1 && BARE_KEYS.has(parts.tokens[0])) return true;
  return parts.keyShaped && (_stemMatchesTable(parts.stem, table)?.score ?? 0) >= 0.85;
}

export interface NameEvidence {
  /** 0..1. */
  readonly score: number;
  readonly rule: string | null;
}

/**
 * Name evidence that `childTable.childColumn` references `parentTable.parentColumn`, where the
 * parent column has keyness `parentKeyness` (see `_keyness`).
 *
 * @example
 * ```ts
 * _nameScore('orders', 'customer_id', 'customers', 'id', 1);      // { score: 1, rule: 'stem=table' }
 * _nameScore('orders', 'cust_id', 'customer', 'customer_id', 1);  // { score: 0.85, rule: 'abbreviation' }
 * _nameScore('flights', 'origin', 'airports', 'iata', 0.85);      // { score: 0, rule: null }
 * ```
 */
export function _nameScore(childTable: string, childColumn: string, parentTable: string, parentColumn: string, parentKeyness: number): NameEvidence {
  const child = _columnParts(childColumn, childTable);
  const parent = _columnParts(parentColumn, parentTable);
  const parentIsKey = parentKeyness >= 0.85;
  let best: NameEvidence = { score: 0, rule: null };
  const offer = (score: number, rule: string) => { if (score > best.score) best = { score, rule }; };

  // Same key-shaped name on both sides, the parent's being its table's key: `customer_id` = `customer_id`.
  // A natural key's name (`isbn`, `iata`) counts less; shared attributes (`date`, `year`, `name`) not at all.
  if (eq(child.tokens, parent.tokens) && !(parent.tokens.length === 1 && BARE_KEYS.has(parent.tokens[0]))) {
    if (parent.keyShaped && parentIsKey) offer((_stemMatchesTable(parent.stem, parentTable)?.score ?? 0) >= 0.85 ? 1 : 0.8, 'same-key-name');
    else if (!parent.keyShaped && parentKeyness >= 0.6 && !parent.tokens.some((t) => ATTRIBUTE_WORDS.has(t))) offer(0.6, 'same-name');
  }
  // The child's stem names the parent table: `customer_id`, `cust_id`, `fk_customer`, `person`.
  // A trailing preposition names the relation, not the entity: `ship_via` -> shippers.
  const stems = child.stem.length > 1 && PREPOSITIONS.has(child.stem[child.stem.length - 1]) ? [child.stem, child.stem.slice(0, -1)] : [child.stem];
  const m = stems.map((st) => _stemMatchesTable(st, parentTable)).reduce<ReturnType<typeof _stemMatchesTable>>((a, b) => (b && (!a || b.score > a.score) ? b : a), null);
  // `category_id` ~ `film_category` only when the referenced column is unmistakably that table's own key.
  if (m && !(m.rule === 'table-last-word' && parentKeyness < 1)) {
    const base = child.keyShaped ? m.score : m.score * 0.9;
    offer(parentIsKey ? base : base * 0.6, m.rule);
  }
  // `<table>_<parent column>`: `airport_iata` -> airports.iata.
  if (endsWith(child.tokens, parent.tokens) && parentIsKey) {
    const head = child.tokens.slice(0, child.tokens.length - parent.tokens.length);
    const hm = _stemMatchesTable(singularTokens(head), parentTable);
    if (hm) offer(hm.score, 'table+column');
  }
  // Same entity stem as the parent key: `iata_code` -> iata.
  if (parentIsKey && (child.keyShaped || parent.keyShaped) && child.stem.length && eq(child.stem, parent.stem) && !BARE_KEYS.has(parent.stem.join('_'))) offer(0.7, 'same-stem');
  // Roles: `manager_id` -> employees, `parent_id` -> the same table.
  if (parentIsKey && child.stem.length) {
    const joined = child.stem.join('_');
    const last = child.stem[child.stem.length - 1];
    const role = [joined, last].find((r) => PERSON_ROLES.has(r) || SELF_ROLES.has(r));
    if (role) {
      const pt = _tableStem(parentTable).join('_');
      const personTable = PERSON_TABLES.has(pt) || PERSON_TABLES.has(_tableStem(parentTable).slice(-1)[0] ?? '');
      if (PERSON_ROLES.has(role) && personTable) offer(0.7, `role:${role}->${parentTable}`);
      else if (SELF_ROLES.has(role) && childTable === parentTable) offer(0.7, `role:${role}->self`);
    }
  }
  // Edge ends: `links.source` -> `nodes.id`, `edges.from_node` -> `vertices.index`. The parent need
  // only be unique and named for no attribute (`index`, `name` excluded).
  const childEntity = _tableStem(childTable).at(-1) ?? '';
  const parentEntity = _tableStem(parentTable).at(-1) ?? '';
  const end = child.tokens.length <= 2 && EDGE_ENDS.has(child.tokens[0]) && (child.tokens.length === 1 || NODE_TABLES.has(_singular(child.tokens[1])) || KEY_SUFFIXES.has(child.tokens[1]));
  if (end && EDGE_TABLES.has(childEntity) && NODE_TABLES.has(parentEntity) && parentKeyness >= 0.6) offer(0.85, 'edge->node');
  return best;
}
