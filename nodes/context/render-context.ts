/**
 * Renderings of the context document: JSON (exact), YAML (exact, easier to read), Markdown (for a
 * person or a language model: a heading per table, column tables, SQL in fenced blocks).
 */
import { stringify } from 'yaml';
import { formatPercent } from './percent.ts';
import type { ColumnContext, ContextDocument } from './schema.ts';

export type ContextFormat = 'json' | 'markdown' | 'yaml';

/**
 * The document as text in `format`.
 *
 * @example
 * ```ts
 * writeFileSync('flights.md', renderContext(doc, 'markdown'));
 * parse(renderContext(doc, 'yaml')); // deep-equals doc
 * ```
 */
export function renderContext(doc: ContextDocument, format: ContextFormat): string {
  switch (format) {
    case 'json': return `${JSON.stringify(doc, null, 2)}\n`;
    case 'yaml': return stringify(doc, { lineWidth: 0, aliasDuplicateObjects: false });
    case 'markdown': return markdown(doc);
    default: throw new Error(`renderContext: unknown format '${String(format)}'; use json, markdown or yaml`);
  }
}

/** Cell text: pipes escaped, line breaks flattened, missing values as an em dash. */
const cell = (v: unknown): string => (v === null || v === undefined || v === '' ? '—' : String(v).replaceAll('|', '\\|').replace(/\r?\n/g, ' '));
const pct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : formatPercent(v));
const code = (v: string) => `\`${v.replaceAll('`', "'")}\``;

/** Longest value (min, max, allowed value) the Markdown shows; the JSON and YAML keep it whole. */
const MAX_VALUE_CHARS = 60;
/** A value cut to `MAX_VALUE_CHARS` characters, an ellipsis marking the cut (a long text column's min/max would fill the page). */
function clip(v: string): string {
  if (v.length <= MAX_VALUE_CHARS) return v;
  const chars = Array.from(v); // whole code points: never half a surrogate pair
  return chars.length <= MAX_VALUE_CHARS ? v : `${chars.slice(0, MAX_VALUE_CHARS - 1).join('')}…`;
}

function markdown(doc: ContextDocument): string {
  // No tables: left out by the selection (--modules), so no count to state.
  const facts = [...(doc.tables.length ? [`${doc.tables.length} table${doc.tables.length === 1 ? '' : 's'}`] : []), ...(doc.ontology ? [`ontology ${code(doc.ontology.name)}`] : [])];
  const said = facts.join(', ');
  const out: string[] = [`# Context: ${doc.source}`, '', `Generated ${doc.generated_at}.${said ? ` ${said[0]!.toUpperCase()}${said.slice(1)}.` : ''}`, ''];
  if (doc.summary) out.push('## Summary', '', doc.summary.text, '');
  if (doc.warnings.length) {
    out.push('## Warnings', '', ...doc.warnings.map((w) => `- ${w}`), '');
  }
  if (doc.tables.length) out.push('## Tables', '');
  for (const t of doc.tables) {
    out.push(`### ${t.name}`, '');
    if (t.description) out.push(t.description, '');
    out.push(`- Query as ${code(`"${t.typed_table.replaceAll('"', '""')}"`)}; ${t.row_count} rows; ${t.kind}${t.entity_type ? ` table of ${t.entity_type}` : ' table'}`);
    if (t.grain.length) out.push(`- One row per ${t.grain.map(code).join(' + ')}`);
    if (t.primary_time_column) out.push(`- Time axis: ${code(t.primary_time_column)}${timeAxisFacts(t.columns.find((c) => c.name === t.primary_time_column)?.temporal)}`);
    if (t.quality) out.push(`- Quality: overall ${pct(t.quality.overall)} (completeness ${pct(t.quality.completeness)}, validity ${pct(t.quality.validity)}, consistency ${pct(t.quality.consistency)}, uniqueness ${pct(t.quality.uniqueness)}, timeliness ${pct(t.quality.timeliness)})`);
    out.push('', '| column | type | role | business name | nulls | distinct | range | concept | quality |', '|---|---|---|---|---|---|---|---|---|');
    for (const c of t.columns) out.push(columnRow(c));
    out.push('');
    const domains = t.columns.filter((c) => c.profile.values);
    if (domains.length) out.push(...domains.map((c) => `- ${code(c.name)} takes one of: ${c.profile.values!.map((v) => code(clip(String(v)))).join(', ')}`), '');
  }
  if (doc.relationships.length) {
    out.push('## Relationships', '', '| from | to | cardinality | confidence | join condition |', '|---|---|---|---|---|');
    for (const r of doc.relationships) out.push(`| ${cell(`${r.from_table}.${r.from_columns.join(', ')}`)} | ${cell(`${r.to_table}.${r.to_columns.join(', ')}`)} | ${cell(r.cardinality)} | ${r.confidence.toFixed(2)} | ${cell(code(r.join_condition))} |`);
    out.push('');
  }
  if (doc.join_paths.length) {
    out.push('## Join paths', '');
    for (const p of doc.join_paths) out.push(`- ${p.from_table} → ${p.to_table} (${p.length} hop${p.length === 1 ? '' : 's'}, confidence ${p.confidence.toFixed(2)}): ${code(p.sql)}`);
    out.push('');
  }
  if (doc.metrics.length) {
    out.push('## Metrics', '');
    const names = doc.metrics.map((m) => m.name);
    for (const m of doc.metrics) {
      // One metric bound on several tables (time_span_days of each time axis): the heading says which.
      const heading = names.indexOf(m.name) === names.lastIndexOf(m.name) ? m.name : `${m.name} (${m.tables.join(', ')})`;
      out.push(`### ${heading}`, '', m.description, '', `Formula: ${code(m.formula)}${m.unit ? ` (${m.unit})` : ''}`, '', '```sql', m.sql, '```', '');
    }
  }
  if (doc.domain_concepts.length) {
    out.push('## Domain concepts', '', ...doc.domain_concepts.map((c) => `- ${code(c.concept)}: ${c.table}.${c.column}${c.description ? ` — ${c.description}` : ''}`), '');
  }
  if (doc.ontology) {
    out.push('## Ontology', '', `${code(doc.ontology.name)} v${doc.ontology.version} (${doc.ontology.lineage.join(' → ')}): ${doc.ontology.description}`, '');
  }
  const q = doc.quality_summary;
  if (q) {
    out.push('## Quality summary', '', `Overall ${pct(q.overall)}; ${q.rules_failed} of ${q.rules_total} rules fail.`, '');
    if (q.failed_rules.length) {
      if (q.failed_rules.length < q.rules_failed) out.push(`The ${q.failed_rules.length} worst:`, '');
      out.push('| rule | severity | failed rows | pass rate | trend |', '|---|---|---|---|---|');
      for (const r of q.failed_rules) out.push(`| ${cell(r.rule)} | ${r.severity} | ${r.failed_records} | ${pct(r.pass_rate)} | ${cell(r.trend)} |`);
      out.push('');
    }
    if (q.anomalies.length) out.push('Anomalies:', '', ...q.anomalies.map((a) => `- **${a.kind}** ${a.table}${a.column ? `.${a.column}` : ''}: ${a.message}`), '');
  }
  if (doc.suggested_queries.length) {
    out.push('## Suggested queries', '');
    for (const s of doc.suggested_queries) out.push(`### ${s.title} (${s.category})`, '', s.description, '', '```sql', s.sql, '```', '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

function columnRow(c: ColumnContext): string {
  const range = c.profile.min !== null || c.profile.max !== null ? `${c.profile.min === null ? '…' : clip(c.profile.min)} .. ${c.profile.max === null ? '…' : clip(c.profile.max)}` : null;
  const nulls = c.profile.null_count === null ? null : `${c.profile.null_count}${c.profile.null_ratio ? ` (${pct(c.profile.null_ratio)})` : ''}`;
  return `| ${cell(code(c.name))} | ${cell(c.type)} | ${cell(c.role)} | ${cell(c.business_name)} | ${cell(nulls)} | ${cell(c.profile.distinct_count)} | ${cell(range)} | ${cell(c.ontology_term)} | ${pct(c.quality?.overall)} |`;
}

/** What the temporal profile says of a time axis: ` (day; a cycle of 365 days in avg(temp_max), autocorrelation 0.73)`, or nothing. */
function timeAxisFacts(tp: ColumnContext['temporal'] | undefined): string {
  if (!tp) return '';
  const of = tp.series === 'rows' || !tp.series ? 'rows' : tp.series;
  const parts = [
    tp.granularity,
    tp.seasonality ? `a cycle of ${tp.seasonality.period} in ${of}, autocorrelation ${tp.seasonality.strength.toFixed(2)}` : null,
    tp.trend ? `${of} trend ${tp.trend.direction}, r² ${tp.trend.r2.toFixed(2)}` : null,
  ].filter((p): p is string => Boolean(p));
  return parts.length ? ` (${parts.join('; ')})` : '';
}
