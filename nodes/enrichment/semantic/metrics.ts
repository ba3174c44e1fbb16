/**
 * Ontology metrics bound to real columns: which concepts each table has (from semantic annotations,
 * else from the concepts' name indicators), and for every metric whose concepts are all there,
 * its formula with quoted column names and a complete DuckDB query.
 */
import type { ResolvedOntology } from '../../../config/ontology.ts';
import { quoteIdent } from '../../duckdb.ts';
import type { TypedSource, TypedTable } from '../types.ts';
import { matchConcept } from './concept-matching.ts';
import { relationshipHints } from './relationship-hints.ts';
import type { BoundMetric, ConceptBinding, OntologyMetrics, RelationshipsInput, SemanticAnnotations } from './types.ts';
import { MIN_RELATIONSHIP_CONFIDENCE } from './column-roles.ts';

interface Found {
  readonly column: string;
  readonly via: 'annotation' | 'indicator';
  readonly score: number;
  readonly position: number;
}

/**
 * The metrics of `ontology` that can be computed on `typedSource`. A metric binds to every table
 * holding all its concepts; when no single table does, to two tables joined by a relationship
 * (from `relationships`, else the ones the annotations used) that hold them together.
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
  const perTable = new Map<string, Map<string, Found>>();
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
      const bindings = needed.map((c): ConceptBinding => ({ concept: c, table: table.name, column: found.get(c)!.column, via: found.get(c)!.via }));
      const expression = bind(metric.formula, new Map(bindings.map((b) => [b.concept, quoteIdent(b.column)])));
      metrics.push({
        metric: metric.name, description: metric.description, formula: metric.formula, expression,
        sql: `SELECT ${expression} AS ${quoteIdent(metric.name)} FROM ${quoteIdent(table.typedTable)}`,
        tables: [table.name], bindings, outputType: metric.output_type, unit: metric.unit ?? null,
      });
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
      const bindings = needed.map((c): ConceptBinding => {
        const hit = a.get(c) ?? b.get(c)!;
        return { concept: c, table: a.has(c) ? from.name : to.name, column: hit.column, via: hit.via };
      });
      const alias = (t: string) => (t === from.name ? '"t0"' : '"t1"');
      const expression = bind(metric.formula, new Map(bindings.map((x) => [x.concept, `${alias(x.table)}.${quoteIdent(x.column)}`])));
      metrics.push({
        metric: metric.name, description: metric.description, formula: metric.formula, expression,
        sql: `SELECT ${expression} AS ${quoteIdent(metric.name)} FROM ${quoteIdent(from.typedTable)} AS "t0" JOIN ${quoteIdent(to.typedTable)} AS "t1" ON "t0".${quoteIdent(rel.fromColumn)} = "t1".${quoteIdent(rel.toColumn)}`,
        tables: [from.name, to.name], bindings, outputType: metric.output_type, unit: metric.unit ?? null,
      });
      break;
    }
  }

  const matchedConcepts: Record<string, Record<string, string>> = {};
  for (const [table, found] of perTable) {
    matchedConcepts[table] = Object.fromEntries([...found].map(([c, f]) => [c, f.column]));
  }
  return { ontology: ontology.name, metrics, matchedConcepts };
}

/** Concept -> best column of one table. Annotated terms first (they may be refined or manual), then indicators. */
function conceptsOf(table: TypedTable, ontology: ResolvedOntology, known: ReadonlySet<string>, annotations?: SemanticAnnotations): Map<string, Found> {
  const found = new Map<string, Found>();
  const offer = (concept: string, f: Found): void => {
    const have = found.get(concept);
    if (!have) found.set(concept, f);
    else if (have.via !== f.via) { if (f.via === 'annotation') found.set(concept, f); }
    else if (f.score > have.score || (f.score === have.score && f.position < have.position)) found.set(concept, f);
  };
  // Annotations made with this ontology decided each column's concept (maybe refined by an LLM or
  // a person): they are the answer, none included. Made with another ontology, they only add.
  const annotated = annotations?.columns[table.name];
  const authoritative = annotations?.ontology === ontology.name;
  for (const c of table.columns) {
    const a = annotated?.[c.name];
    if (a?.ontologyTerm && known.has(a.ontologyTerm)) offer(a.ontologyTerm, { column: c.name, via: 'annotation', score: a.confidence, position: c.position });
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
