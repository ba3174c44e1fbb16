/**
 * The heuristic role decision for one column. Signals, strongest first: a detected relationship,
 * a temporal type, the ontology (concept indicators, then semantic hints), built-in name patterns,
 * then type and cardinality. Every signal consulted is recorded as evidence.
 */
import type { ResolvedOntology, SemanticRole } from '../../../config/ontology.ts';
import type { TypedColumn } from '../types.ts';
import { isNumericKind, matchConcept, matchHint, typeKind, type TypeKind } from './concept-matching.ts';
import { entityFromTableName, normalizeName } from './names.ts';
import type { ColumnStats, Evidence, RelationshipHint } from './types.ts';

/** Foreign keys by their two ends: `references` maps a child column to `table.column` it points at; `referenced` holds parent columns. */
export interface ColumnLinks {
  readonly references: ReadonlyMap<string, string>;
  readonly referenced: ReadonlySet<string>;
}

interface RelationshipEnds {
  readonly fromTable: string;
  readonly fromColumns: readonly string[];
  readonly toTable: string;
  readonly toColumns: readonly string[];
}

/** Key of a column in `ColumnLinks`. */
export const columnKey = (table: string, column: string): string => `${table}\u0000${column}`;

/** Both ends of every relationship, by column. */
export function columnLinks(relationships: readonly RelationshipEnds[]): ColumnLinks {
  const references = new Map<string, string>();
  const referenced = new Set<string>();
  for (const r of relationships) {
    r.fromColumns.forEach((col, k) => references.set(columnKey(r.fromTable, col), `${r.toTable}.${r.toColumns[k]}`));
    for (const col of r.toColumns) referenced.add(columnKey(r.toTable, col));
  }
  return { references, referenced };
}

/**
 * A column's role once the relationships found in the data are known (semantic enrichment runs
 * beside topology, before them): a referencing column is a foreign key unless it is its own
 * table's key, a referenced one a key.
 */
export function linkedRole<R extends string | null>(role: R, references: boolean, referenced: boolean): R | 'foreign_key' | 'key' {
  if (references) return role === 'key' ? role : 'foreign_key';
  return referenced ? 'key' : role;
}

/** A relationship below this confidence is not used as evidence. */
export const MIN_RELATIONSHIP_CONFIDENCE = 0.5;

const ID_NAME = /(^|_)(id|ids|key|pk|fk|uuid|guid|code|cd|no|nbr|num|number|sku|iata|icao|isbn|ean|upc)$/;
const TIME_NAME = /(^|_)(date|time|timestamp|datetime|ts|dt|at|on|day)$/;
const YEAR_NAME = /(^|_)(year|yr)$/;
/** Concept entity types too generic to name what a key identifies. */
const GENERIC_ENTITIES = new Set(['identifier', 'code', 'name']);

export interface ColumnDecision {
  readonly role: SemanticRole;
  readonly entityType: string;
  readonly ontologyTerm: string | null;
  readonly conceptDescription: string | null;
  readonly confidence: number;
  readonly evidence: readonly Evidence[];
  /** The table a foreign key points to, when a relationship says so. */
  readonly references: string | null;
  /**
   * The column identifies something: a key, an id repeated as a dimension, or a dimension concept
   * unique over the table (one row per state). A grain candidate before times and plain dimensions.
   */
  readonly identifies: boolean;
}

/** Decides the role of `column` in `table` (logical name). */
export function decideColumn(
  table: string,
  column: TypedColumn,
  stats: ColumnStats,
  ontology: ResolvedOntology,
  relationships: readonly RelationshipHint[],
): ColumnDecision {
  const kind = typeKind(column.type);
  const nonNull = stats.rowCount - stats.nullCount;
  const unique = nonNull > 1 && stats.distinctCount === nonNull;
  const name = normalizeName(column.name);
  const tableEntity = entityFromTableName(table);
  const evidence: Evidence[] = [{ signal: 'type', detail: `${column.type} (${kind})` }];
  const cardinality = `${stats.distinctCount} distinct of ${nonNull} non-null values (${stats.rowCount} rows)`;
  const outgoing = relationships.find((r) => r.fromTable === table && r.fromColumn === column.name && r.confidence >= MIN_RELATIONSHIP_CONFIDENCE);
  let match = matchConcept(ontology, column.name, column.type);
  // A detected reference outranks a name: `origin` pointing at airports is not a country.
  if (outgoing && match && match.concept.semantic_role !== 'key' && match.concept.semantic_role !== 'foreign_key') match = null;
  const concept = match?.concept ?? null;
  const term = concept?.name ?? null;
  const conceptDescription = concept?.description ?? null;
  const decide = (role: SemanticRole, entityType: string, confidence: number, references: string | null = null, identifies = role === 'key' || role === 'foreign_key'): ColumnDecision => ({
    role, entityType, ontologyTerm: term, conceptDescription, confidence: round(Math.min(0.99, confidence)), evidence, references, identifies,
  });
  if (match) evidence.push({ signal: 'ontology_hint', detail: `concept '${match.concept.name}' (${match.concept.semantic_role}) via indicator '${match.indicator}'` });

  if (outgoing) {
    evidence.push({ signal: 'relationship', detail: `references ${outgoing.toTable}.${outgoing.toColumn} (confidence ${round(outgoing.confidence)})` });
    const entity = concept?.entity_type && !GENERIC_ENTITIES.has(concept.entity_type) ? concept.entity_type : entityFromTableName(outgoing.toTable);
    return decide('foreign_key', entity, 0.6 + 0.35 * outgoing.confidence, outgoing.toTable);
  }
  const incoming = relationships.find((r) => r.toTable === table && r.toColumn === column.name && r.confidence >= MIN_RELATIONSHIP_CONFIDENCE);
  if (incoming && unique && stats.nullCount === 0) {
    evidence.push({ signal: 'relationship', detail: `referenced by ${incoming.fromTable}.${incoming.fromColumn} (confidence ${round(incoming.confidence)})` });
    evidence.push({ signal: 'uniqueness', detail: `unique: ${cardinality}` });
    return decide('key', keyEntity(concept?.entity_type, tableEntity), 0.6 + 0.35 * incoming.confidence);
  }

  if (kind === 'temporal') {
    return decide('timestamp', concept?.entity_type ?? 'time', concept?.semantic_role === 'timestamp' ? 0.95 : 0.9);
  }
  if (kind === 'time_of_day') {
    // Same clock time on different days: describes each row (a shift start), orders no events.
    evidence.push({ signal: 'cardinality', detail: `a time of day without a date, not a time axis: ${cardinality}` });
    return decide('attribute', concept?.entity_type ?? 'time_of_day', 0.7);
  }

  // An identifier-like role from the ontology or the name: unique in this table = its key.
  // Repeated, it may refer to another table's key, but only a detected relationship (handled
  // above) says which one exists: until then it is an identifier to group rows by.
  const identifier = (why: Evidence, base: number): ColumnDecision => {
    evidence.push(why, { signal: 'uniqueness', detail: `${unique && stats.nullCount === 0 ? 'unique' : 'not unique'}: ${cardinality}` });
    if (unique && stats.nullCount === 0) return decide('key', keyEntity(concept?.entity_type, tableEntity), base + 0.1);
    const stem = name.replace(ID_NAME, '').replace(/_+$/, '');
    const entity = concept?.entity_type && !GENERIC_ENTITIES.has(concept.entity_type) ? concept.entity_type : stem || 'identifier';
    evidence.push({ signal: 'relationship', detail: 'repeated, and no detected relationship makes it a reference to another table: an identifier used as a dimension' });
    return decide('dimension', entity, base - 0.05, null, true);
  };

  if (concept) {
    const role = concept.semantic_role;
    const conf = 0.55 + 0.35 * match!.score;
    if (role === 'key' || role === 'foreign_key') return identifier({ signal: 'name_pattern', detail: `matches '${match!.indicator}'` }, conf - 0.1);
    if (role === 'timestamp') {
      // A year or period stored as a number or text: still the time axis, if the values look like years.
      const yearLike = kind === 'integer' && isYearRange(stats);
      evidence.push({ signal: 'cardinality', detail: yearLike ? `values ${stats.minValue}..${stats.maxValue} look like years` : `not a temporal type (${kind})` });
      return decide(yearLike || YEAR_NAME.test(name) ? 'timestamp' : 'dimension', concept.entity_type ?? 'time', yearLike ? conf : conf - 0.2);
    }
    if (role === 'measure' && !isNumericKind(kind)) return decide('attribute', concept.entity_type ?? 'attribute', conf - 0.3);
    if (role === 'dimension' && kind === 'text' && stats.distinctCount > 0 && unique && stats.rowCount > 20) {
      // Nothing to group by when every row differs, but one row per zip code, country or state:
      // the table lists them. Named as a code, the column is its key; else a natural key to try as the grain.
      if (ID_NAME.test(name) && stats.nullCount === 0) {
        evidence.push({ signal: 'name_pattern', detail: `identifier-like name '${column.name}'` }, { signal: 'uniqueness', detail: `unique: ${cardinality}` });
        return decide('key', tableEntity, conf - 0.1);
      }
      evidence.push({ signal: 'uniqueness', detail: `unique: ${cardinality}; a dimension concept, but every row differs` });
      return decide('attribute', concept.entity_type ?? 'attribute', conf - 0.15, null, stats.nullCount === 0);
    }
    evidence.push({ signal: 'cardinality', detail: cardinality });
    return decide(role, concept.entity_type ?? defaultEntity(role, tableEntity), conf);
  }

  const hinted = matchHint(ontology, column.name);
  if (hinted?.hint.semantic_role) {
    const { hint, pattern } = hinted;
    const why: Evidence = { signal: 'ontology_hint', detail: `hint pattern '${pattern}' -> ${hint.semantic_role}${hint.entity_type ? ` / ${hint.entity_type}` : ''}` };
    const role = hint.semantic_role!;
    if ((role === 'key' || role === 'foreign_key') && (kind === 'integer' || kind === 'text')) return identifier(why, 0.7);
    // Temporal types returned above: a time-like name on another type is noted, not trusted.
    if (role === 'timestamp') {
      evidence.push(why);
    } else if (role !== 'measure' || isNumericKind(kind)) {
      evidence.push(why, { signal: 'cardinality', detail: cardinality });
      return decide(role, hint.entity_type ?? defaultEntity(role, tableEntity), 0.7);
    }
  }

  if ((kind === 'integer' || kind === 'text') && ID_NAME.test(name)) {
    return identifier({ signal: 'name_pattern', detail: `identifier-like name '${column.name}'` }, 0.65);
  }
  if (kind === 'integer' && YEAR_NAME.test(name) && isYearRange(stats)) {
    evidence.push({ signal: 'name_pattern', detail: `year-like name with values ${stats.minValue}..${stats.maxValue}` });
    return decide('timestamp', 'time', 0.75);
  }
  if (TIME_NAME.test(name) && kind === 'text') {
    evidence.push({ signal: 'name_pattern', detail: `time-like name '${column.name}' but text values: not parsed as a date` });
  }
  return byTypeAndCardinality(kind, stats, unique, cardinality, column, tableEntity, evidence, decide);
}

function byTypeAndCardinality(
  kind: TypeKind,
  stats: ColumnStats,
  unique: boolean,
  cardinality: string,
  column: TypedColumn,
  tableEntity: string,
  evidence: Evidence[],
  decide: (role: SemanticRole, entityType: string, confidence: number) => ColumnDecision,
): ColumnDecision {
  const nonNull = stats.rowCount - stats.nullCount;
  // Few distinct values relative to the rows: a grouping, not a quantity or a free text.
  const fewOfRows = stats.distinctCount <= Math.max(2, Math.min(50, Math.floor(0.05 * nonNull)));
  // 5% alone allows 3 values in 63 rows: texts also count as few up to sqrt(rows) (4 races in 63
  // rows). Not integers: a small table's amounts often take only a few values too.
  const fewTexts = fewOfRows || stats.distinctCount <= Math.min(50, Math.floor(Math.sqrt(nonNull)));
  if (kind === 'boolean') {
    evidence.push({ signal: 'cardinality', detail: cardinality });
    return decide('dimension', 'flag', 0.85);
  }
  if (isNumericKind(kind)) {
    if (kind === 'integer' && unique && stats.nullCount === 0 && column.position === 0 && isSequential(stats)) {
      evidence.push({ signal: 'uniqueness', detail: `unique, 1..n-like values in the first column: ${cardinality}` });
      return decide('key', tableEntity, 0.6);
    }
    if (kind === 'integer' && fewOfRows && stats.distinctCount <= 20 && nonNull >= 50) {
      evidence.push({ signal: 'cardinality', detail: `few distinct integers: ${cardinality}` });
      return decide('dimension', 'category', 0.55);
    }
    evidence.push({ signal: 'cardinality', detail: cardinality });
    return decide('measure', 'measurement', kind === 'integer' ? 0.6 : 0.75);
  }
  if (kind === 'text') {
    if (unique && stats.nullCount === 0 && (stats.maxLength ?? 0) <= 12 && nonNull >= 20) {
      evidence.push({ signal: 'uniqueness', detail: `unique short codes (max length ${stats.maxLength}): ${cardinality}` });
      return decide('key', tableEntity, 0.6);
    }
    if (fewTexts) {
      evidence.push({ signal: 'cardinality', detail: `low cardinality: ${cardinality}` });
      return decide('dimension', 'category', 0.7);
    }
    // Each value on ten rows or more on average: what rows are grouped by (airport codes, teams,
    // job titles), however many there are; free text and names rarely repeat so much.
    if ((stats.maxLength ?? Infinity) <= 100 && stats.distinctCount * 10 <= nonNull) {
      const codes = (stats.maxLength ?? Infinity) <= 12;
      evidence.push({ signal: 'cardinality', detail: `${codes ? `short codes (max length ${stats.maxLength})` : 'values'} repeated on ${Math.floor(nonNull / stats.distinctCount)} rows each on average: ${cardinality}` });
      return decide('dimension', codes ? 'code' : 'category', 0.6);
    }
    evidence.push({ signal: 'cardinality', detail: `high cardinality: ${cardinality}` });
    return decide('attribute', 'attribute', 0.55);
  }
  evidence.push({ signal: 'cardinality', detail: cardinality });
  return decide('attribute', 'attribute', 0.4);
}

function keyEntity(conceptEntity: string | undefined, tableEntity: string): string {
  return conceptEntity && !GENERIC_ENTITIES.has(conceptEntity) ? conceptEntity : tableEntity;
}

function defaultEntity(role: SemanticRole, tableEntity: string): string {
  switch (role) {
    case 'key': return tableEntity;
    case 'foreign_key': return 'identifier';
    case 'timestamp': return 'time';
    case 'measure': return 'measurement';
    case 'dimension': return 'category';
    case 'attribute': return 'attribute';
  }
}

function isYearRange(stats: ColumnStats): boolean {
  const lo = Number(stats.minValue);
  const hi = Number(stats.maxValue);
  return Number.isInteger(lo) && Number.isInteger(hi) && lo >= 1000 && hi <= 2999;
}

/** Values from about 0/1 to about the row count: a surrogate row number, not a quantity. */
function isSequential(stats: ColumnStats): boolean {
  const lo = Number(stats.minValue);
  const hi = Number(stats.maxValue);
  return Number.isFinite(lo) && Number.isFinite(hi) && lo >= 0 && lo <= 1 && hi - lo + 1 <= stats.rowCount * 1.1;
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
