/**
 * Ontologies (`config/ontologies/<name>.yaml`): the business vocabulary semantic enrichment maps
 * columns onto. An ontology lists concepts (what a column can mean, recognised by name patterns),
 * metrics (SQL formulas over concept placeholders), quality rules per concept and semantic hints
 * (name patterns -> role / entity type). `extends:` inherits another ontology's content; the child
 * overrides by name (concepts, metrics), by concept + rule type (quality rules), and its hints are
 * consulted before the parent's.
 *
 * @example
 * ```ts
 * import { loadOntology, listOntologies } from './config/ontology.ts';
 * listOntologies();                       // ['base', 'financial_reporting', 'healthcare', ...]
 * const retail = loadOntology('retail');  // base's concepts + retail's, validated
 * retail.metrics.find((m) => m.name === 'average_order_value')?.formula;
 * // 'SUM({revenue}) / NULLIF(COUNT(DISTINCT {order_id}), 0)'
 * ```
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { z } from 'zod';

/** Where the shipped (built-in) ontologies live. */
export const BUILTIN_ONTOLOGIES_DIR = fileURLToPath(new URL('./ontologies/', import.meta.url));

export const SEMANTIC_ROLES = ['measure', 'dimension', 'key', 'foreign_key', 'attribute', 'timestamp'] as const;
/** What a column is for: aggregated (measure), grouped by (dimension), identifies rows (key), points at another table's key (foreign_key), describes (attribute), places in time (timestamp). */
export type SemanticRole = (typeof SEMANTIC_ROLES)[number];

/**
 * How a measure behaves over time: `additive` sums over any period (sales), `semi_additive` sums
 * across entities but not over time (balances), `snapshot` is a level at a point in time
 * (inventory), `rate` is a ratio that must be re-derived rather than summed (temperature, price),
 * `event` marks when something happened, `static` does not change.
 */
export const TEMPORAL_BEHAVIOURS = ['additive', 'semi_additive', 'snapshot', 'rate', 'event', 'static'] as const;
export type TemporalBehaviour = (typeof TEMPORAL_BEHAVIOURS)[number];

/** The kind of DuckDB value a concept accepts; a column of another kind never matches it. */
export const VALUE_KINDS = ['numeric', 'integer', 'temporal', 'text', 'boolean', 'identifier', 'any'] as const;
export type ValueKind = (typeof VALUE_KINDS)[number];

const NAME = /^[a-z][a-z0-9_]*$/;
const Name = z.string().regex(NAME, 'a name is snake_case: lower-case letters, digits and _ , starting with a letter');

/**
 * A column-name pattern: a glob (`*_id`, `cust?_nm`; `*` any run of characters, `?` one) matched
 * against the whole normalized name, or a regex written `/.../` (searched, case-insensitive).
 * Names are normalized first: lower case, camelCase split, anything else than letters and digits
 * becomes `_` (`Customer Name` and `customerName` both read `customer_name`).
 */
const Indicator = z.string().trim().min(1, 'an indicator must not be empty').superRefine((s, ctx) => {
  if (!isRegexIndicator(s)) return;
  try {
    new RegExp(s.slice(1, -1), 'i');
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: `invalid regex ${s}: ${err instanceof Error ? err.message : String(err)}` });
  }
});

export const ConceptSchema = z.strictObject({
  name: Name,
  description: z.string().trim().min(1, 'describe the concept'),
  indicators: z.array(Indicator).min(1, 'a concept needs at least one indicator (column-name pattern)'),
  semantic_role: z.enum(SEMANTIC_ROLES),
  /** What the column is about, e.g. `money`, `customer`, `location`. */
  entity_type: Name.optional(),
  value_kind: z.enum(VALUE_KINDS).default('any'),
  temporal_behavior: z.enum(TEMPORAL_BEHAVIOURS).optional(),
  unit: z.string().trim().min(1).optional(),
});
export type Concept = z.output<typeof ConceptSchema>;

export const METRIC_OUTPUT_TYPES = ['integer', 'decimal', 'ratio', 'percentage', 'duration'] as const;

export const MetricSchema = z.strictObject({
  name: Name,
  description: z.string().trim().min(1, 'describe the metric'),
  /** DuckDB SQL aggregate over `{concept}` placeholders, e.g. `SUM({revenue}) / COUNT(DISTINCT {order_id})`. */
  formula: z.string().trim().min(1),
  /** Defaults to the placeholders of the formula; when written, it must list exactly those. */
  required_concepts: z.array(Name).optional(),
  output_type: z.enum(METRIC_OUTPUT_TYPES),
  unit: z.string().trim().min(1).optional(),
});
export type MetricDefinition = z.output<typeof MetricSchema> & { readonly required_concepts: readonly string[] };

const Severity = z.enum(['error', 'warning', 'info']).default('warning');
const ruleBase = { concept: Name, severity: Severity, description: z.string().trim().min(1).optional() };
const NoParams = z.strictObject({}).optional();

export const QualityRuleSchema = z.discriminatedUnion('rule_type', [
  z.strictObject({ ...ruleBase, rule_type: z.literal('non_negative'), params: NoParams }),
  z.strictObject({ ...ruleBase, rule_type: z.literal('positive'), params: NoParams }),
  z.strictObject({ ...ruleBase, rule_type: z.literal('not_null'), params: NoParams }),
  z.strictObject({ ...ruleBase, rule_type: z.literal('unique'), params: NoParams }),
  z.strictObject({ ...ruleBase, rule_type: z.literal('not_future'), params: NoParams }),
  z.strictObject({
    ...ruleBase,
    rule_type: z.literal('range'),
    params: z.strictObject({ min: z.number().optional(), max: z.number().optional() })
      .refine((p) => p.min !== undefined || p.max !== undefined, 'a range needs min, max or both')
      .refine((p) => p.min === undefined || p.max === undefined || p.min <= p.max, 'min must not exceed max'),
  }),
  z.strictObject({
    ...ruleBase,
    rule_type: z.literal('allowed_values'),
    params: z.strictObject({ values: z.array(z.union([z.string(), z.number(), z.boolean()])).min(1, 'list at least one allowed value'), case_sensitive: z.boolean().default(false) }),
  }),
  z.strictObject({
    ...ruleBase,
    rule_type: z.literal('pattern'),
    params: z.strictObject({ regex: z.string().min(1) }).superRefine((p, ctx) => {
      try {
        new RegExp(p.regex);
      } catch (err) {
        ctx.addIssue({ code: 'custom', path: ['regex'], message: `invalid regex: ${err instanceof Error ? err.message : String(err)}` });
      }
    }),
  }),
  z.strictObject({ ...ruleBase, rule_type: z.literal('max_null_ratio'), params: z.strictObject({ max: z.number().min(0).max(1) }) }),
]);
export type QualityRule = z.output<typeof QualityRuleSchema>;
export type QualityRuleType = QualityRule['rule_type'];

export const SemanticHintSchema = z.strictObject({
  patterns: z.array(Indicator).min(1, 'a hint needs at least one pattern'),
  semantic_role: z.enum(SEMANTIC_ROLES).optional(),
  entity_type: Name.optional(),
  description: z.string().trim().min(1).optional(),
}).refine((h) => h.semantic_role !== undefined || h.entity_type !== undefined, 'a hint sets a semantic_role, an entity_type or both');
export type SemanticHint = z.output<typeof SemanticHintSchema>;

export const OntologyFileSchema = z.strictObject({
  name: Name,
  description: z.string().trim().min(1, 'describe the ontology'),
  version: z.union([z.string(), z.number()]).transform(String).default('1'),
  /** Ontologies this one inherits from, in order (later ones override earlier ones). */
  extends: z.union([Name, z.array(Name)]).optional().transform((e) => (e === undefined ? [] : typeof e === 'string' ? [e] : e)),
  concepts: z.array(ConceptSchema).default([]),
  metrics: z.array(MetricSchema).default([]),
  quality_rules: z.array(QualityRuleSchema).default([]),
  semantic_hints: z.array(SemanticHintSchema).default([]),
});
/** One ontology file as written, validated, before `extends` is resolved. */
export type OntologyFile = z.output<typeof OntologyFileSchema>;

/** An ontology with everything it inherits merged in. Frozen. */
export interface ResolvedOntology {
  readonly name: string;
  readonly description: string;
  readonly version: string;
  /** This ontology and every one it inherits from, nearest first: `['retail', 'base']`. */
  readonly lineage: readonly string[];
  /** Shipped with dataraum (loaded from the built-in folder). */
  readonly builtin: boolean;
  readonly concepts: readonly Concept[];
  readonly metrics: readonly MetricDefinition[];
  readonly qualityRules: readonly QualityRule[];
  /** Child hints first: they win over inherited ones. */
  readonly semanticHints: readonly SemanticHint[];
}

/** One problem with an ontology: where (`concepts[2].indicators[0]`) and what. */
export interface OntologyIssue {
  readonly path: string;
  readonly message: string;
}

/** An ontology that could not be found, read, validated or resolved; `issues` lists every problem. */
export class OntologyError extends Error {
  readonly file: string | undefined;
  readonly issues: readonly OntologyIssue[];
  constructor(what: string, file: string | undefined, issues: readonly OntologyIssue[]) {
    super(`${what}${file ? ` (${file})` : ''}: ${issues.length} problem${issues.length === 1 ? '' : 's'}\n${issues.map((i) => `  - ${i.path ? `${i.path}: ` : ''}${i.message}`).join('\n')}`);
    this.name = 'OntologyError';
    this.file = file;
    this.issues = issues;
  }
}

/**
 * Names of the ontologies in `dir` (default: the built-in ones), sorted.
 *
 * @example
 * ```ts
 * listOntologies(); // ['base', 'financial_reporting', 'healthcare', 'iot', 'marketing', 'operations', 'retail']
 * ```
 */
export function listOntologies(dir: string = BUILTIN_ONTOLOGIES_DIR): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).map((f) => f.replace(/\.ya?ml$/, '')).sort();
}

/**
 * Loads an ontology by name from `dir` (default: the built-in folder), resolving `extends` (a
 * parent is looked up in `dir` first, then among the built-in ones). Throws an `OntologyError`
 * listing every problem: YAML syntax, schema, unknown parents, cycles, metrics or rules that name
 * concepts the resolved ontology does not define.
 *
 * @example
 * ```ts
 * const o = loadOntology('marketing');
 * o.lineage; // ['marketing', 'base']
 * const mine = loadOntology('my_shop', './my-ontologies'); // may `extends: retail`
 * ```
 */
export function loadOntology(name: string, dir: string = BUILTIN_ONTOLOGIES_DIR): ResolvedOntology {
  const files = new Map<string, { file: OntologyFile; builtin: boolean }>();
  const read = (n: string, from: string[]): { file: OntologyFile; builtin: boolean } => {
    const cached = files.get(n);
    if (cached) return cached;
    const found = findOntologyFile(n, dir);
    if (!found) {
      const known = [...new Set([...listOntologies(dir), ...listOntologies(BUILTIN_ONTOLOGIES_DIR)])].sort();
      const by = from.length ? ` (extended by '${from[from.length - 1]}')` : '';
      throw new OntologyError(`Unknown ontology '${n}'${by}`, undefined, [{ path: '', message: `no ${n}.yaml in ${dir}${dir === BUILTIN_ONTOLOGIES_DIR ? '' : ` nor in ${BUILTIN_ONTOLOGIES_DIR}`}; available: ${known.join(', ') || 'none'}` }]);
    }
    const file = parseOntologyFile(readText(found.path), found.path);
    if (file.name !== n) {
      throw new OntologyError(`Ontology name mismatch`, found.path, [{ path: 'name', message: `the file is ${n}.yaml but declares name '${file.name}'; make them agree` }]);
    }
    const entry = { file, builtin: found.builtin };
    files.set(n, entry);
    return entry;
  };

  // Depth-first over `extends`, parents before children; a name on the current path again is a cycle.
  const order: string[] = [];
  const done = new Set<string>();
  const visit = (n: string, pathSoFar: string[]): void => {
    if (pathSoFar.includes(n)) {
      const cycle = [...pathSoFar.slice(pathSoFar.indexOf(n)), n].join(' -> ');
      throw new OntologyError(`Ontology '${name}' has an extends cycle`, undefined, [{ path: 'extends', message: `cycle: ${cycle}; remove one of these extends` }]);
    }
    if (done.has(n)) return;
    const { file } = read(n, pathSoFar);
    for (const parent of file.extends) visit(parent, [...pathSoFar, n]);
    done.add(n);
    order.push(n);
  };
  visit(name, []);

  const concepts = new Map<string, Concept>();
  const conceptDepth = new Map<string, number>();
  const metrics = new Map<string, MetricDefinition>();
  const rules = new Map<string, QualityRule>();
  let hints: SemanticHint[] = [];
  for (const n of order) {
    const { file } = files.get(n)!;
    for (const c of file.concepts) {
      concepts.set(c.name, c);
      conceptDepth.set(c.name, order.indexOf(n));
    }
    for (const m of file.metrics) {
      metrics.delete(m.name);
      metrics.set(m.name, { ...m, required_concepts: m.required_concepts ?? formulaPlaceholders(m.formula) });
    }
    for (const r of file.quality_rules) {
      const key = `${r.concept}\u0000${r.rule_type}`;
      rules.delete(key);
      rules.set(key, r);
    }
    hints = [...file.semantic_hints, ...hints];
  }

  const root = files.get(name)!;
  const issues: OntologyIssue[] = [];
  [...metrics.values()].forEach((m) => {
    const used = formulaPlaceholders(m.formula);
    const where = `metrics.${m.name}`;
    if (!used.length) issues.push({ path: where, message: 'the formula uses no {concept} placeholder; a metric must be computed from concepts' });
    for (const c of used) if (!concepts.has(c)) issues.push({ path: where, message: `the formula uses {${c}}, which is not a concept of '${name}' or what it extends` });
    const listed = new Set(m.required_concepts);
    for (const c of used) if (!listed.has(c)) issues.push({ path: `${where}.required_concepts`, message: `{${c}} is in the formula but not listed` });
    for (const c of listed) if (!used.includes(c)) issues.push({ path: `${where}.required_concepts`, message: `'${c}' is listed but the formula does not use {${c}}` });
  });
  for (const r of rules.values()) {
    if (!concepts.has(r.concept)) issues.push({ path: `quality_rules.${r.concept}.${r.rule_type}`, message: `unknown concept '${r.concept}'` });
  }
  if (issues.length) throw new OntologyError(`Ontology '${name}' does not resolve`, undefined, issues);

  return deepFreeze({
    name,
    description: root.file.description,
    version: root.file.version,
    lineage: [...order].reverse(),
    builtin: root.builtin,
    // Nearest definitions first: when a column name fits several concepts equally well, the
    // more specific ontology's concept wins (retail's `revenue` over base's `amount`).
    concepts: [...order].reverse().flatMap((n) => files.get(n)!.file.concepts.filter((c) => conceptDepth.get(c.name) === order.indexOf(n))),
    metrics: [...metrics.values()],
    qualityRules: [...rules.values()],
    semanticHints: hints,
  });
}

/** Validates one ontology file's YAML text (without resolving `extends`); `file` only names it in errors. */
export function parseOntologyFile(text: string, file?: string): OntologyFile {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length) {
    throw new OntologyError('Invalid ontology YAML', file, doc.errors.map((e) => ({ path: '', message: e.message.split('\n')[0] ?? e.message })));
  }
  const parsed = OntologyFileSchema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    throw new OntologyError('Invalid ontology', file, parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })));
  }
  const data = parsed.data;
  const issues: OntologyIssue[] = [];
  for (const [list, key] of [[data.concepts, 'concepts'], [data.metrics, 'metrics']] as const) {
    const seen = new Set<string>();
    list.forEach((item, i) => {
      if (seen.has(item.name)) issues.push({ path: `${key}[${i}].name`, message: `duplicate name '${item.name}'` });
      seen.add(item.name);
    });
  }
  if (issues.length) throw new OntologyError('Invalid ontology', file, issues);
  return data;
}

/** The `{concept}` placeholders of a metric formula, in order of first use. */
export function formulaPlaceholders(formula: string): string[] {
  return [...new Set([...formula.matchAll(/\{([a-z][a-z0-9_]*)\}/g)].map((m) => m[1]!))];
}

/** Whether an indicator is written as a regex (`/.../`) rather than a glob. */
export function isRegexIndicator(indicator: string): boolean {
  return indicator.length >= 2 && indicator.startsWith('/') && indicator.endsWith('/');
}

function findOntologyFile(name: string, dir: string): { path: string; builtin: boolean } | undefined {
  const builtinDir = path.resolve(BUILTIN_ONTOLOGIES_DIR);
  const dirs = [...new Set([path.resolve(dir), builtinDir])];
  for (const d of dirs) {
    for (const ext of ['.yaml', '.yml']) {
      const p = path.join(d, `${name}${ext}`);
      if (existsSync(p)) return { path: p, builtin: d === builtinDir };
    }
  }
  return undefined;
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new OntologyError('Cannot read ontology', file, [{ path: '', message: err instanceof Error ? err.message : String(err) }]);
  }
}

function formatPath(p: readonly PropertyKey[]): string {
  let out = '';
  for (const k of p) out += typeof k === 'number' ? `[${k}]` : `${out ? '.' : ''}${String(k)}`;
  return out;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
