/**
 * Ontology metrics bound to real columns: which concepts each table has (from semantic annotations,
 * else from the concepts' name indicators), and for every metric whose concepts are all there,
 * its formula with quoted column names and a complete DuckDB query. A concept may stand for
 * several columns of a table (US and worldwide gross are both amounts): each gets its metric.
 */
import type { ResolvedOntology } from '../../../config/ontology.ts';
import { quoteIdent } from '../../duckdb.ts';
import type { TypedSource, TypedTable } from '../types.ts';
import { matchConcept, typeKind } from './concept-matching.ts';
import { relationshipHints } from './relationship-hints.ts';
import type { BoundMetric, ConceptBinding, OntologyMetrics, RelationshipsInput, SemanticAnnotations } from './types.ts';
import { MIN_RELATIONSHIP_CONFIDENCE } from './column-roles.ts';
import { normalizeName } from './names.ts';

/** Bindings of one metric on one table (or pair) at most, best-matching columns first. */
export const MAX_METRIC_VARIANTS = 16;

interface Found {
  readonly column: string;
  readonly via: 'annotation' | 'indicator';
  readonly score: number;
  readonly position: number;
}

/**
 * The metrics of `ontology` that can be computed on `typedSource`. A metric binds to every table
 * holding all its concepts; when no single table does, to two tables joined by a relationship
 * (from `relationships`, else the ones the annotations used) that hold them together. When a
 * concept maps to several columns, the metric is bound once per column (per combination, for
 * several such concepts; at most `MAX_METRIC_VARIANTS`) and each is named after its columns:
 * `total_amount_us_gross`, `total_amount_worldwide_gross`.
 *
 * @example
 * ```ts
 * const { metrics } = getMetrics(loadOntology('retail'), typedSource);
 * const aov = metrics.find((m) => m.metric === 'average_order_value');
 * aov?.sql; // SELECT SUM("amount") / NULLIF(COUNT(DISTINCT "order_id"), 0) AS "average_order_value" FROM "typed_orders"
 * ```
 */
export function getMetrics(
  ontology: ResolvedOntology,
  typedSource: TypedSource,
  annotations?: SemanticAnnotations,
  relationships?: RelationshipsInput,
): OntologyMetrics {
  const known = new Set(ontology.concepts.map((c) => c.name));
  const perTable = new Map<string, Map<string, Found[]>>();
  for (const table of typedSource.tables) perTable.set(table.name, conceptsOf(table, ontology, known, annotations));

  // Half of a composite key is no join condition.
  const rels = (relationships ? relationshipHints(relationships) : annotations?.relationships ?? [])
    .filter((r) => r.confidence >= MIN_RELATIONSHIP_CONFIDENCE && !r.composite);
  const byName = new Map(typedSource.tables.map((t) => [t.name, t]));
  const metrics: BoundMetric[] = [];
  for (const metric of ontology.metrics) {
    const needed = metric.required_concepts;
    const covering = typedSource.tables.filter((t) => needed.every((c) => perTable.get(t.name)!.has(c)));
    for (const table of covering) {
      const found = perTable.get(table.name)!;
      const options = needed.map((c) => found.get(c)!.map((f): ConceptBinding => ({ concept: c, table: table.name, column: f.column, via: f.via })));
      for (const { name, description, bindings } of variants(metric.name, metric.description, options)) {
        const expression = bind(metric.formula, new Map(bindings.map((b) => [b.concept, quoteIdent(b.column)])));
        metrics.push({
          metric: name, ontologyMetric: metric.name, description, formula: metric.formula, expression,
          sql: `SELECT ${expression} AS ${quoteIdent(name)} FROM ${quoteIdent(table.typedTable)}`,
          tables: [table.name], bindings, outputType: metric.output_type, unit: metric.unit ?? null,
        });
      }
    }
    if (covering.length) continue;
    for (const rel of rels) {
      const from = byName.get(rel.fromTable);
      const to = byName.get(rel.toTable);
      if (!from || !to || from === to) continue;
      const a = perTable.get(from.name)!;
      const b = perTable.get(to.name)!;
      if (!needed.every((c) => a.has(c) || b.has(c)) || needed.every((c) => a.has(c)) || needed.every((c) => b.has(c))) continue;
      // The many side (the one holding the foreign key) is where the metric is reported.
      const options = needed.map((c) => {
        const table = a.has(c) ? from.name : to.name;
        return (a.get(c) ?? b.get(c)!).map((f): ConceptBinding => ({ concept: c, table, column: f.column, via: f.via }));
      });
      const alias = (t: string) => (t === from.name ? '"t0"' : '"t1"');
      for (const { name, description, bindings } of variants(metric.name, metric.description, options)) {
        const expression = bind(metric.formula, new Map(bindings.map((x) => [x.concept, `${alias(x.table)}.${quoteIdent(x.column)}`])));
        metrics.push({
          metric: name, ontologyMetric: metric.name, description, formula: metric.formula, expression,
          sql: `SELECT ${expression} AS ${quoteIdent(name)} FROM ${quoteIdent(from.typedTable)} AS "t0" JOIN ${quoteIdent(to.typedTable)} AS "t1" ON "t0".${quoteIdent(rel.fromColumn)} = "t1".${quoteIdent(rel.toColumn)}`,
          tables: [from.name, to.name], bindings, outputType: metric.output_type, unit: metric.unit ?? null,
        });
      }
      break;
    }
  }

  const matchedConcepts: Record<string, Record<string, string>> = {};
  const conceptColumns: Record<string, Record<string, string[]>> = {};
  for (const [table, found] of perTable) {
    matchedConcepts[table] = Object.fromEntries([...found].map(([c, f]) => [c, f[0]!.column]));
    conceptColumns[table] = Object.fromEntries([...found].map(([c, f]) => [c, f.map((x) => x.column)]));
  }
  return { ontology: ontology.name, metrics, matchedConcepts, conceptColumns };
}

/**
 * One binding per combination of the concepts' columns (the best first), named after the columns
 * that vary when any does; the metric's own name when each concept has one column.
 */
function variants(metric: string, description: string, options: readonly (readonly ConceptBinding[])[]): { name: string; description: string; bindings: ConceptBinding[] }[] {
  let combos: ConceptBinding[][] = [[]];
  for (const choices of options) combos = combos.flatMap((combo) => choices.map((b) => [...combo, b])).slice(0, MAX_METRIC_VARIANTS);
  if (combos.length === 1) return [{ name: metric, description, bindings: combos[0]! }];
  const varying = options.map((choices) => choices.length > 1);
  const used = new Set<string>();
  return combos.map((bindings) => {
    const own = bindings.filter((_, i) => varying[i]);
    const base = [metric, ...own.map((b) => normalizeName(b.column) || 'column')].join('_');
    // Distinct column names can normalize alike ('US Gross', 'us_gross').
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base}_${n}`;
    used.add(name);
    return { name, description: `${description.replace(/\.$/, '')} (${own.map((b) => `${b.concept} = ${b.column}`).join(', ')}).`, bindings };
  });
}

/** Concept -> its columns in one table, best first. Annotated terms first (they may be refined or manual), then indicators. */
function conceptsOf(table: TypedTable, ontology: ResolvedOntology, known: ReadonlySet<string>, annotations?: SemanticAnnotations): Map<string, Found[]> {
  const found = new Map<string, Found[]>();
  const offer = (concept: string, f: Found): void => {
    const list = found.get(concept) ?? [];
    // A column offered twice (annotated, and by its name) keeps its annotation.
    if (list.some((x) => x.column === f.column)) return;
    list.push(f);
    list.sort((x, y) => (x.via === y.via ? 0 : x.via === 'annotation' ? -1 : 1) || y.score - x.score || x.position - y.position);
    found.set(concept, list);
  };
  // Annotations made with this ontology decided each column's concept (maybe refined by an LLM or
  // a person): they are the answer, none included. Made with another ontology, they only add.
  const annotated = annotations?.columns[table.name];
  const authoritative = annotations?.ontology === ontology.name;
  const temporal = new Set(ontology.concepts.filter((c) => c.value_kind === 'temporal').map((c) => c.name));
  for (const c of table.columns) {
    const a = annotated?.[c.name];
    // A refined or manual term cannot make a time of day a date: date metrics cast it to DATE, which fails.
    const fits = !(a?.ontologyTerm && temporal.has(a.ontologyTerm) && typeKind(c.type) === 'time_of_day');
    if (a?.ontologyTerm && known.has(a.ontologyTerm) && fits) offer(a.ontologyTerm, { column: c.name, via: 'annotation', score: a.confidence, position: c.position });
    if (a && authoritative) continue;
    const m = matchConcept(ontology, c.name, c.type);
    if (m) offer(m.concept.name, { column: c.name, via: 'indicator', score: m.score, position: c.position });
  }
  return found;
}

/** Replaces each `{concept}` with its SQL reference. Placeholders are validated when the ontology loads. */
function bind(formula: string, refs: ReadonlyMap<string, string>): string {
  return formula.replace(/\{([a-z][a-z0-9_]*)\}/g, (whole, name: string) => refs.get(name) ?? whole);
}
