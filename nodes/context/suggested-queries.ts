/**
 * Suggested queries for the context document: runnable DuckDB SQL over the typed tables (every
 * identifier quoted, every value a quoted literal) that shows a reader where to start: an
 * overview, the bound metrics, trends over the time axis, segments by dimensions, and where the
 * quality problems are.
 */
import { quoteIdent, quoteLiteral } from '../duckdb.ts';
import { typeKind } from '../enrichment/semantic/concept-matching.ts';
import type { OntologyMetrics, SemanticAnnotations } from '../enrichment/semantic/types.ts';
import type { TemporalProfiles, TemporalUnit } from '../enrichment/temporal/types.ts';
import type { RelationshipsResult } from '../enrichment/topology/types.ts';
import type { TypedSource, TypedTable } from '../enrichment/types.ts';
import type { QualityResults } from '../quality/types.ts';
import { isNumericType, isTemporalType, isTextType } from '../quality/rule-sql.ts';
import type { SuggestedQuery } from './schema.ts';

export interface SuggestionInputs {
  readonly typedSource: TypedSource;
  readonly semanticAnnotations: SemanticAnnotations;
  readonly relationships: RelationshipsResult;
  readonly temporalProfiles: TemporalProfiles;
  readonly ontologyMetrics: OntologyMetrics;
  readonly qualityResults?: QualityResults;
}

/** At most this many measures per trend or segment query. */
const MAX_MEASURES = 3;
/** Dimensions with more distinct values than this are not used as segments. */
const MAX_SEGMENT_VALUES = 50;

export function suggestedQueries(inputs: SuggestionInputs): SuggestedQuery[] {
  const { typedSource } = inputs;
  const out: SuggestedQuery[] = [];
  if (typedSource.tables.length) {
    out.push({
      category: 'overview', title: 'Rows per table', description: `How many rows each table of ${typedSource.sourceName} holds.`,
      sql: typedSource.tables.map((t) => `SELECT ${quoteLiteral(t.name)} AS "table_name", count(*) AS "row_count" FROM ${quoteIdent(t.typedTable)}`).join('\nUNION ALL\n'),
      tables: typedSource.tables.map((t) => t.name),
    });
  }
  for (const t of typedSource.tables) {
    out.push({ category: 'overview', title: `Preview ${t.name}`, description: `The first rows of ${t.name}.`, sql: `SELECT * FROM ${quoteIdent(t.typedTable)} LIMIT 10`, tables: [t.name] });
  }
  const metricNames = inputs.ontologyMetrics.metrics.map((m) => m.metric);
  for (const m of inputs.ontologyMetrics.metrics) {
    // A metric bound on several tables (time_span_days of each time axis) is told apart by them.
    const title = metricNames.indexOf(m.metric) === metricNames.lastIndexOf(m.metric) ? m.metric : `${m.metric} (${m.tables.join(', ')})`;
    out.push({ category: 'metrics', title, description: m.description, sql: m.sql, tables: [...m.tables] });
  }
  for (const t of typedSource.tables) {
    const trend = trendQuery(t, inputs);
    if (trend) out.push(trend);
    out.push(...segmentQueries(t, inputs));
    const q = qualityQuery(t, inputs);
    if (q) out.push(q);
  }
  out.push(...joinSegmentQueries(inputs));
  out.push(...orphanQueries(inputs));
  return out;
}

function measures(t: TypedTable, ann: SemanticAnnotations): string[] {
  return t.columns.filter((c) => isNumericType(c.type) && ann.columns[t.name]?.[c.name]?.role === 'measure').slice(0, MAX_MEASURES).map((c) => c.name);
}

/** Calendar unit to group a trend by: the granularity itself when coarse, months for days and weeks, days below. */
function trendUnit(g: string | null | undefined): TemporalUnit {
  if (g === 'year' || g === 'quarter' || g === 'month') return g;
  if (g === 'hour' || g === 'minute' || g === 'second') return 'day';
  return 'month';
}

function trendQuery(t: TypedTable, { semanticAnnotations: ann, temporalProfiles }: SuggestionInputs): SuggestedQuery | null {
  const profiles = temporalProfiles.tables[t.name]?.columns ?? {};
  const timeCol = ann.tables[t.name]?.primaryTimeColumn ?? Object.keys(profiles)[0] ?? t.columns.find((c) => isTemporalType(c.type))?.name;
  const col = t.columns.find((c) => c.name === timeCol);
  if (!col) return null;
  // A time of day has no year or month to group by, whatever named it the axis (older stored annotations).
  if (typeKind(col.type) === 'time_of_day') return null;
  const profile = profiles[col.name];
  const q = quoteIdent(col.name);
  const yearly = profile?.kind === 'year' || !isTemporalType(col.type);
  const unit = yearly ? 'year' : trendUnit(profile?.granularity?.granularity);
  const period = yearly ? q : `date_trunc(${quoteLiteral(unit)}, ${q})`;
  const ms = measures(t, ann).filter((m) => m !== col.name);
  const select = [`${period} AS "period"`, 'count(*) AS "row_count"', ...ms.map((m) => `avg(${quoteIdent(m)}) AS ${quoteIdent(`avg_${m}`)}`)];
  return {
    category: 'trends', title: `${t.name} per ${unit}`,
    description: `Rows${ms.length ? ` and the average of ${ms.join(', ')}` : ''} per ${unit} of ${col.name}${profile?.granularity ? ` (data is ${profile.granularity.granularity})` : ''}.`,
    sql: `SELECT ${select.join(', ')} FROM ${quoteIdent(t.typedTable)} WHERE ${q} IS NOT NULL GROUP BY 1 ORDER BY 1`,
    tables: [t.name],
  };
}

function segmentQueries(t: TypedTable, { semanticAnnotations: ann }: SuggestionInputs): SuggestedQuery[] {
  const dims = t.columns.filter((c) => {
    const a = ann.columns[t.name]?.[c.name];
    return a && (a.role === 'dimension' || (a.role === 'attribute' && isTextType(c.type))) && a.stats.distinctCount > 1 && a.stats.distinctCount <= MAX_SEGMENT_VALUES;
  }).slice(0, 2);
  const ms = measures(t, ann);
  return dims.map((d) => ({
    category: 'segments' as const, title: `${t.name} by ${d.name}`,
    description: `Rows${ms.length ? ` and the average of ${ms.join(', ')}` : ''} per ${d.name}, largest first.`,
    sql: `SELECT ${[quoteIdent(d.name), 'count(*) AS "row_count"', ...ms.map((m) => `avg(${quoteIdent(m)}) AS ${quoteIdent(`avg_${m}`)}`)].join(', ')} FROM ${quoteIdent(t.typedTable)} GROUP BY 1 ORDER BY "row_count" DESC LIMIT 20`,
    tables: [t.name],
  }));
}

/** Join condition of a foreign key; compares as text when the two sides have different types. */
export function joinCondition(typedSource: TypedSource, fromTable: string, fromColumns: readonly string[], toTable: string, toColumns: readonly string[], aliases?: readonly [string, string]): string | null {
  const child = typedSource.tables.find((t) => t.name === fromTable);
  const parent = typedSource.tables.find((t) => t.name === toTable);
  if (!child || !parent) return null;
  const [a, b] = aliases ?? [child.typedTable, parent.typedTable];
  return fromColumns.map((c, i) => {
    const pc = toColumns[i]!;
    const same = child.columns.find((x) => x.name === c)?.type === parent.columns.find((x) => x.name === pc)?.type;
    const l = `${quoteIdent(a)}.${quoteIdent(c)}`;
    const r = `${quoteIdent(b)}.${quoteIdent(pc)}`;
    return same ? `${l} = ${r}` : `CAST(${l} AS VARCHAR) = CAST(${r} AS VARCHAR)`;
  }).join(' AND ');
}

function joinSegmentQueries({ typedSource, relationships, semanticAnnotations: ann }: SuggestionInputs): SuggestedQuery[] {
  const out: SuggestedQuery[] = [];
  for (const rel of relationships.relationships) {
    const child = typedSource.tables.find((t) => t.name === rel.fromTable);
    const parent = typedSource.tables.find((t) => t.name === rel.toTable);
    if (!child || !parent || child === parent) continue;
    // One row per parent row: grouped by its key, labelled beside it by a descriptive text column
    // (its name) when there is one. A label alone would merge parents that share it.
    const label = parent.columns.find((c) => isTextType(c.type) && !rel.toColumns.includes(c.name) && ann.columns[parent.name]?.[c.name]?.role === 'attribute')?.name;
    const on = joinCondition(typedSource, rel.fromTable, rel.fromColumns, rel.toTable, rel.toColumns, ['c', 'p']);
    if (!on) continue;
    const groups = [...rel.toColumns, ...(label ? [label] : [])];
    out.push({
      category: 'segments', title: `${child.name} per ${parent.name} (${rel.fromColumns.join(', ')})`,
      description: `Rows of ${child.name} per ${parent.name} row, joined on ${rel.fromColumns.join(', ')} -> ${rel.toColumns.join(', ')}${label ? `, with its ${label}` : ''}.`,
      sql: `SELECT ${groups.map((g) => `"p".${quoteIdent(g)}`).join(', ')}, count(*) AS "row_count" FROM ${quoteIdent(child.typedTable)} AS "c" JOIN ${quoteIdent(parent.typedTable)} AS "p" ON ${on} GROUP BY ${groups.map((_, i) => i + 1).join(', ')} ORDER BY "row_count" DESC LIMIT 20`,
      tables: [child.name, parent.name],
    });
  }
  return out;
}

function qualityQuery(t: TypedTable, { qualityResults }: SuggestionInputs): SuggestedQuery | null {
  if (!t.columns.length) return null;
  const failing = qualityResults?.results.filter((r) => r.table === t.name && !r.passed) ?? [];
  const nulls = t.columns.map((c) => `count(*) - count(${quoteIdent(c.name)}) AS ${quoteIdent(`${c.name}_nulls`)}`);
  return {
    category: 'quality', title: `Missing values in ${t.name}`,
    description: `Null count per column of ${t.name}${failing.length ? `; failing rules: ${failing.map((r) => r.rule).join(', ')}` : ''}.`,
    sql: `SELECT count(*) AS "row_count", ${nulls.join(', ')} FROM ${quoteIdent(t.typedTable)}`,
    tables: [t.name],
  };
}

function orphanQueries({ typedSource, relationships }: SuggestionInputs): SuggestedQuery[] {
  const out: SuggestedQuery[] = [];
  for (const rel of relationships.relationships) {
    const child = typedSource.tables.find((t) => t.name === rel.fromTable);
    const parent = typedSource.tables.find((t) => t.name === rel.toTable);
    const on = joinCondition(typedSource, rel.fromTable, rel.fromColumns, rel.toTable, rel.toColumns, ['c', 'p']);
    if (!child || !parent || !on) continue;
    out.push({
      category: 'quality', title: `Orphans of ${child.name}.${rel.fromColumns.join('+')}`,
      description: `Rows of ${child.name} whose ${rel.fromColumns.join(', ')} has no match in ${parent.name}.`,
      sql: `SELECT "c".* FROM ${quoteIdent(child.typedTable)} AS "c" WHERE ${rel.fromColumns.map((c) => `"c".${quoteIdent(c)} IS NOT NULL`).join(' AND ')} AND NOT EXISTS (SELECT 1 FROM ${quoteIdent(parent.typedTable)} AS "p" WHERE ${on}) LIMIT 50`,
      tables: [child.name, parent.name],
    });
  }
  return out;
}
