/**
 * Which ontology concept (and which semantic hint) a column name stands for, and which DuckDB
 * types a concept accepts.
 */
import type { Concept, ResolvedOntology, SemanticHint, ValueKind } from '../../../config/ontology.ts';
import { indicatorSpecificity, matchesIndicator, normalizeName } from './names.ts';

/** A DuckDB type as the kind of value it holds. */
export type TypeKind = 'integer' | 'decimal' | 'float' | 'temporal' | 'time_of_day' | 'boolean' | 'text' | 'other';

/**
 * Classifies a DuckDB type name: `DECIMAL(18,0)` is integer, `DECIMAL(10,2)` decimal, `TIMESTAMP_NS`
 * and `TIMESTAMP WITH TIME ZONE` temporal. `TIME` is a time of day, not a point in time: it has no
 * date to put events on an axis, and casting it to DATE fails.
 */
export function typeKind(type: string): TypeKind {
  const t = type.trim().toUpperCase();
  const dec = /^(DECIMAL|NUMERIC)\s*\(\s*\d+\s*,\s*(\d+)\s*\)$/.exec(t);
  if (dec) return dec[2] === '0' ? 'integer' : 'decimal';
  if (/^(DECIMAL|NUMERIC)\b/.test(t)) return 'decimal';
  if (/^(U?(TINY|SMALL|BIG|HUGE)?INT(EGER)?\d*|INT\d|LONG|SHORT|UHUGEINT)$/.test(t)) return 'integer';
  if (/^(DOUBLE|FLOAT\d*|REAL)$/.test(t)) return 'float';
  if (/^(DATE|TIMESTAMP(_S|_MS|_US|_NS)?|DATETIME|TIMESTAMPTZ)\b/.test(t)) return 'temporal';
  if (/^(TIME(_NS)?|TIMETZ)\b/.test(t)) return 'time_of_day';
  if (/^(BOOL|BOOLEAN|LOGICAL)$/.test(t)) return 'boolean';
  if (/^(VARCHAR|TEXT|STRING|CHAR|BPCHAR|UUID)\b/.test(t) || t.startsWith('VARCHAR')) return 'text';
  return 'other';
}

export function isNumericKind(kind: TypeKind): boolean {
  return kind === 'integer' || kind === 'decimal' || kind === 'float';
}

/** Whether a column of this type can hold a value of the concept's kind. */
export function kindAccepts(valueKind: ValueKind, kind: TypeKind): boolean {
  switch (valueKind) {
    case 'any': return kind !== 'other';
    case 'numeric': return isNumericKind(kind);
    case 'integer': return kind === 'integer';
    case 'temporal': return kind === 'temporal';
    case 'text': return kind === 'text';
    case 'boolean': return kind === 'boolean';
    case 'identifier': return kind === 'integer' || kind === 'text';
  }
}

export interface ConceptMatch {
  readonly concept: Concept;
  readonly indicator: string;
  /** 0..1: how specific the matching indicator is. */
  readonly score: number;
}

/**
 * The concept a column stands for: the most specific matching indicator among concepts whose value
 * kind the column's type fits; ties go to the concept listed first (the nearest ontology's).
 *
 * @example
 * ```ts
 * matchConcept(loadOntology('retail'), 'order_total', 'DECIMAL(10,2)')?.concept.name; // 'revenue'
 * ```
 */
export function matchConcept(ontology: ResolvedOntology, column: string, type: string): ConceptMatch | null {
  const name = normalizeName(column);
  const kind = typeKind(type);
  let best: ConceptMatch | null = null;
  for (const concept of ontology.concepts) {
    if (!kindAccepts(concept.value_kind, kind)) continue;
    for (const indicator of concept.indicators) {
      if (!matchesIndicator(indicator, name)) continue;
      const score = indicatorSpecificity(indicator);
      if (!best || score > best.score) best = { concept, indicator, score };
    }
  }
  return best;
}

/** The first semantic hint (the nearest ontology's first) whose patterns match the column name. */
export function matchHint(ontology: ResolvedOntology, column: string): { hint: SemanticHint; pattern: string } | null {
  const name = normalizeName(column);
  for (const hint of ontology.semanticHints) {
    const pattern = hint.patterns.find((p) => matchesIndicator(p, name));
    if (pattern) return { hint, pattern };
  }
  return null;
}
