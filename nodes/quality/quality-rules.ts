/**
 * Quality rules suggested from the data, the way deequ's constraint suggestion works: each rule
 * is proposed only where the measured data supports it (no nulls -> not_null, distinct = count on
 * a key -> unique, a small stable text domain -> allowed_values, ...), plus referential integrity
 * for detected foreign keys and the ontology's own rules mapped onto columns by concept. With an
 * active LLM runtime the model may add, adjust or drop rules (`llmQualityRules`); each predicate
 * it writes is checked in DuckDB first.
 */
import { matchConcept } from '../enrichment/semantic/concept-matching.ts';
import type { ResolvedOntology } from '../../config/ontology.ts';
import type { DuckDBConnection } from '../duckdb.ts';
import type { ColumnAnnotation, SemanticAnnotations } from '../enrichment/semantic/types.ts';
import type { RelationshipsResult } from '../enrichment/topology/types.ts';
import type { TypedColumn, TypedSource, TypedTable } from '../enrichment/types.ts';
import type { ProfilingResult } from '../profiling/types.ts';
import { PATTERNS } from '../profiling/patterns.ts';
import { isKeyName } from './column-roles.ts';
import { RULE_PATTERNS, ruleStats, type RuleColumnStats, type RuleTableStats } from './rule-stats.ts';
import { isIntegerType, isNumericType, isTemporalType, isTextType, predicates } from './rule-sql.ts';
import type { QualityRuleSpec, QualityRules, RuleDimension, RuleSeverity } from './types.ts';
import { llmQualityRules } from '../llm/quality-rules.ts';
import type { LlmRuntime } from '../llm/llm-runtime.ts';

/** Thresholds of the suggestion heuristics. */
export interface QualityRuleOptions {
  /** Tables with fewer rows get no not_null / unique / allowed_values rules (too little evidence). Default 10. */
  readonly minRows?: number;
  /** Largest text domain turned into allowed_values. Default 20. */
  readonly maxDomain?: number;
  /** Rows per distinct value an allowed_values domain needs to count as stable. Default 5. */
  readonly minRowsPerValue?: number;
  /** Share of non-empty values that must match a pattern. Default 0.98. */
  readonly minPatternRate?: number;
  /** Range margin as a share of (max - min). Default 0.1. */
  readonly rangeMargin?: number;
}

const DEFAULTS: Required<QualityRuleOptions> = { minRows: 10, maxDomain: 20, minRowsPerValue: 5, minPatternRate: 0.98, rangeMargin: 0.1 };

const AMOUNT_NAME = /amount|price|cost|revenue|total|sales|fee|salary|budget|gross|income|spend|balance|qty|quantity|count/i;

/**
 * Quality rules for every typed table, from its data, annotations, relationships and ontology.
 * @tag module=quality
 *
 * @example
 * ```ts
 * const rules = await qualityRules(typedSource, conn, undefined, annotations, rels, loadOntology('base'));
 * rules.rules.find((r) => r.name === 'airports.iata.unique')?.predicate;
 * // '"iata" IS NULL OR "iata" IN (SELECT "iata" FROM "typed_airports" WHERE "iata" IS NOT NULL GROUP BY ALL HAVING count(*) = 1)'
 * // With a model: its rules carry source 'llm', its complaints land in `warnings`.
 * const refined = await qualityRules(typedSource, conn, undefined, annotations, rels, undefined, {}, llmRuntime(loadLlmConfig('config/llm.yaml')));
 * ```
 */
export async function qualityRules(
  typedSource: TypedSource,
  duckdb: DuckDBConnection,
  profiling?: ProfilingResult,
  semanticAnnotations?: SemanticAnnotations,
  relationships?: RelationshipsResult,
  ontology?: ResolvedOntology,
  qualityRuleOptions: QualityRuleOptions = {},
  llmRuntime: LlmRuntime | null = null,
): Promise<QualityRules> {
  const opts = { ...DEFAULTS, ...qualityRuleOptions };
  const rules = new Map<string, QualityRuleSpec>();
  const add = (r: QualityRuleSpec) => {
    // The ontology's rule wins over a suggested one of the same type on the same column.
    if (rules.has(r.name) && r.source !== 'ontology') return;
    rules.set(r.name, r);
  };
  const queryCounts: Record<string, number> = {};
  for (const table of typedSource.tables) {
    const profile = profiling?.tables[table.name];
    const stats = await ruleStats(duckdb, table, !profile, opts.maxDomain);
    queryCounts[table.name] = stats.queries;
    for (const column of table.columns) {
      const s = stats.columns[column.name];
      if (!s) continue;
      const ann = semanticAnnotations?.columns[table.name]?.[column.name];
      const grain = semanticAnnotations?.tables[table.name]?.grainColumns ?? [];
      // Profiles describe the raw table: its column may still carry the source's name.
      const patterns = (profile?.columns[column.name] ?? profile?.columns[column.originalName])?.patterns;
      for (const r of profileRules(table, column, s, stats, ann, grain, patterns, opts)) add(r);
    }
    const grain = semanticAnnotations?.tables[table.name]?.grainColumns ?? [];
    if (grain.length > 1 && table.rowCount >= opts.minRows) {
      // Semantic enrichment checked this combination is unique in DuckDB: keep it so.
      add(rule(table, grain, 'unique', {
        predicate: predicates.unique(table.typedTable, grain), severity: 'error', source: 'semantic', dimension: 'uniqueness',
        description: `one row per ${grain.join(' + ')} (the table's grain)`,
      }));
    }
    if (ontology) for (const r of ontologyRules(table, ontology, semanticAnnotations, stats)) add(r);
  }
  for (const r of referentialRules(typedSource, relationships)) add(r);
  const heuristic: QualityRules = { sourceName: typedSource.sourceName, rules: [...rules.values()], queryCounts, generatedAt: new Date().toISOString() };
  // No provider: nothing to refine, and no "LLM off" warning in every offline result.
  if (!llmRuntime?.provider) return heuristic;
  const refined = await llmQualityRules(heuristic, typedSource, duckdb, llmRuntime, semanticAnnotations);
  return refined.warnings.length ? { ...refined.value, warnings: [...refined.warnings] } : refined.value;
}

function rule(table: TypedTable, columns: readonly string[], type: QualityRuleSpec['type'], init: {
  predicate: string; parameters?: QualityRuleSpec['parameters']; severity: RuleSeverity; source: QualityRuleSpec['source'];
  dimension: RuleDimension; description: string; tolerance?: number;
}): QualityRuleSpec {
  return {
    name: `${table.name}.${columns.join('+')}.${type}`, type, table: table.name, typedTable: table.typedTable, columns,
    predicate: init.predicate, parameters: init.parameters ?? {}, severity: init.severity, source: init.source,
    dimension: init.dimension, tolerance: init.tolerance ?? 0, description: init.description,
  };
}

function profileRules(
  table: TypedTable, column: TypedColumn, s: RuleColumnStats, stats: RuleTableStats, ann: ColumnAnnotation | undefined,
  grain: readonly string[], profiledPatterns: readonly { pattern: string; matchRate: number; sampleSize: number }[] | undefined,
  opts: Required<QualityRuleOptions>,
): QualityRuleSpec[] {
  const out: QualityRuleSpec[] = [];
  const c = column.name;
  const rows = stats.rows;
  const src = ann ? 'semantic' as const : 'profile' as const;
  const keyLike = ann?.role === 'key' || (grain.length === 1 && grain[0] === c) || (!ann && isKeyName(c) && !isTemporalType(column.type));
  const enough = rows >= opts.minRows;

  if (enough && s.nonNull === rows) {
    out.push(rule(table, [c], 'not_null', {
      predicate: predicates.notNull(c), severity: keyLike ? 'error' : 'warning', source: 'profile', dimension: 'completeness',
      description: `${c} is never null (0 nulls in ${rows} rows)`,
    }));
  }
  if (enough && keyLike && s.nonNull > 0 && s.distinct === s.nonNull) {
    out.push(rule(table, [c], 'unique', {
      predicate: predicates.unique(table.typedTable, [c]), severity: 'error', source: ann?.role === 'key' || grain.includes(c) ? 'semantic' : 'profile', dimension: 'uniqueness',
      description: `${c} identifies rows: ${s.distinct} distinct values in ${s.nonNull} non-null rows`,
    }));
  }
  if (isNumericType(column.type) && s.min !== null && s.max !== null && !keyLike && ann?.role !== 'foreign_key' && !(isKeyName(c) && isIntegerType(column.type))) {
    const amount = ann?.entityType === 'money' || AMOUNT_NAME.test(c);
    if (amount && s.min >= 0) {
      out.push(rule(table, [c], 'non_negative', {
        predicate: predicates.nonNegative(c, column.type), severity: 'warning', source: src, dimension: 'validity',
        description: `${c} is an amount and never negative (min ${s.min})`,
      }));
    } else if (s.max > s.min) {
      const margin = (s.max - s.min) * opts.rangeMargin;
      const integral = isIntegerType(column.type);
      // Widening near the double's limits (a span over ~1.8e308) overflows: keep the observed bound.
      let min = Number.isFinite(s.min - margin) ? s.min - margin : s.min;
      let max = Number.isFinite(s.max + margin) ? s.max + margin : s.max;
      if (s.min >= 0) min = Math.max(0, min);
      if (integral) { min = Math.floor(min); max = Math.ceil(max); }
      out.push(rule(table, [c], 'range', {
        predicate: predicates.range(c, min, max), parameters: { min, max, observed_min: s.min, observed_max: s.max, margin: opts.rangeMargin },
        severity: 'warning', source: 'profile', dimension: 'validity',
        description: `${c} between ${min} and ${max} (observed ${s.min}..${s.max}, widened by ${opts.rangeMargin * 100}% of the span)`,
      }));
    }
  }
  if (enough && isTextType(column.type) && s.domain && s.domain.length >= 2 && s.nonNull >= s.domain.length * opts.minRowsPerValue && !keyLike) {
    out.push(rule(table, [c], 'allowed_values', {
      predicate: predicates.allowedValues(c, s.domain, true), parameters: { values: s.domain, case_sensitive: true },
      severity: 'warning', source: 'profile', dimension: 'validity',
      description: `${c} takes one of ${s.domain.length} values: ${s.domain.slice(0, 8).join(', ')}${s.domain.length > 8 ? ', ...' : ''}`,
    }));
  }
  if (isTextType(column.type) && s.nonNull > 0) {
    const found = profiledPatterns
      ? profiledPatterns.filter((p) => p.matchRate >= opts.minPatternRate && RULE_PATTERNS.some((r) => r.name === p.pattern))[0]?.pattern
      : RULE_PATTERNS.find((p) => (s.patternRates[p.name] ?? 0) >= opts.minPatternRate)?.name;
    const def = found ? PATTERNS.find((p) => p.name === found) : undefined;
    if (def) {
      out.push(rule(table, [c], 'pattern', {
        predicate: predicates.pattern(c, def.regex), parameters: { pattern: def.name, regex: def.regex },
        severity: 'warning', source: 'profile', dimension: 'validity', description: `${c} holds ${def.description}s`,
      }));
    }
  }
  return out;
}

/** The ontology's rules, on every column mapped to their concept (by annotation, else by name). */
function ontologyRules(table: TypedTable, ontology: ResolvedOntology, ann: SemanticAnnotations | undefined, stats: RuleTableStats): QualityRuleSpec[] {
  const out: QualityRuleSpec[] = [];
  for (const column of table.columns) {
    const a = ann?.columns[table.name]?.[column.name];
    const concept = a ? a.ontologyTerm : matchConcept(ontology, column.name, column.type)?.concept.name ?? null;
    if (!concept) continue;
    for (const r of ontology.qualityRules.filter((q) => q.concept === concept)) {
      const c = column.name;
      const numeric = isNumericType(column.type);
      const base = { severity: r.severity, source: 'ontology' as const };
      const why = r.description ?? `${r.rule_type} for concept ${concept}`;
      switch (r.rule_type) {
        case 'not_null': out.push(rule(table, [c], 'not_null', { ...base, predicate: predicates.notNull(c), dimension: 'completeness', description: why, parameters: { concept } })); break;
        case 'unique': out.push(rule(table, [c], 'unique', { ...base, predicate: predicates.unique(table.typedTable, [c]), dimension: 'uniqueness', description: why, parameters: { concept } })); break;
        case 'non_negative': if (numeric) out.push(rule(table, [c], 'non_negative', { ...base, predicate: predicates.nonNegative(c, column.type), dimension: 'validity', description: why, parameters: { concept } })); break;
        case 'positive': if (numeric) out.push(rule(table, [c], 'positive', { ...base, predicate: predicates.positive(c, column.type), dimension: 'validity', description: why, parameters: { concept } })); break;
        case 'not_future': if (isTemporalType(column.type)) out.push(rule(table, [c], 'not_future', { ...base, predicate: predicates.notFuture(c, column.type), dimension: 'validity', description: why, parameters: { concept } })); break;
        case 'range': {
          if (!numeric) break;
          const fractions = isPerCent(ontology, concept, r.params) && holdsFractions(stats.columns[c]);
          // Per cent bounds on a column of fractions: the same share as a fraction (0..100 -> 0..1), or a value
          // written x100 by mistake would pass.
          const min = fractions && r.params.min !== undefined ? r.params.min / 100 : r.params.min;
          const max = fractions && r.params.max !== undefined ? r.params.max / 100 : r.params.max;
          out.push(rule(table, [c], 'range', {
            ...base, predicate: predicates.range(c, min, max), dimension: 'validity',
            description: fractions ? `${why} (as fractions: ${c} holds values within 0..1, not per cent)` : why,
            parameters: { concept, min: min ?? null, max: max ?? null, ...(fractions ? { scale: 'fraction' } : {}) },
          }));
          break;
        }
        case 'allowed_values': out.push(rule(table, [c], 'allowed_values', { ...base, predicate: predicates.allowedValues(c, r.params.values, r.params.case_sensitive), dimension: 'validity', description: why, parameters: { concept, values: r.params.values, case_sensitive: r.params.case_sensitive } })); break;
        case 'pattern': out.push(rule(table, [c], 'pattern', { ...base, predicate: predicates.pattern(c, r.params.regex), dimension: 'validity', description: why, parameters: { concept, regex: r.params.regex } })); break;
        case 'max_null_ratio': out.push(rule(table, [c], 'max_null_ratio', { ...base, predicate: predicates.notNull(c), dimension: 'completeness', tolerance: r.params.max, description: why, parameters: { concept, max: r.params.max } })); break;
      }
    }
  }
  return out;
}

/** A range written in per cent: the concept's unit is `%` and a bound lies beyond 1. */
function isPerCent(ontology: ResolvedOntology, concept: string, bounds: { min?: number; max?: number }): boolean {
  const unit = ontology.concepts.find((x) => x.name === concept)?.unit;
  return unit === '%' && Math.max(Math.abs(bounds.min ?? 0), Math.abs(bounds.max ?? 0)) > 1;
}

/** Every finite value within -1..1 (and some values): a share stored as a fraction. */
function holdsFractions(s: RuleColumnStats | undefined): boolean {
  return s !== undefined && s.min !== null && s.max !== null && s.min >= -1 && s.max <= 1;
}

function referentialRules(typedSource: TypedSource, relationships: RelationshipsResult | undefined): QualityRuleSpec[] {
  if (!relationships) return [];
  const tables = new Map(typedSource.tables.map((t) => [t.name, t]));
  const out: QualityRuleSpec[] = [];
  for (const rel of relationships.relationships) {
    const child = tables.get(rel.fromTable);
    const parent = tables.get(rel.toTable);
    if (!child || !parent) continue;
    const typeOf = (t: TypedTable, c: string) => t.columns.find((x) => x.name === c)?.type ?? '';
    // As topology matched the values: natively a whole DOUBLE equals a BIGINT, as text 1.0 never equals 1.
    const asText = rel.comparison ? rel.comparison === 'text' : rel.fromColumns.some((c, i) => typeOf(child, c) !== typeOf(parent, rel.toColumns[i]!));
    out.push(rule(child, rel.fromColumns, 'referential_integrity', {
      predicate: predicates.referential(child.typedTable, rel.fromColumns, parent.typedTable, rel.toColumns, asText),
      parameters: { to_table: parent.name, to_typed_table: parent.typedTable, to_columns: [...rel.toColumns], relationship: rel.key, confidence: rel.confidence, compare_as_text: asText },
      severity: rel.confidence >= 0.8 ? 'error' : 'warning', source: 'relationship', dimension: 'consistency',
      description: `every ${rel.fromColumns.join(', ')} of ${child.name} exists in ${parent.name}.${rel.toColumns.join(', ')}`,
    }));
  }
  return out;
}
