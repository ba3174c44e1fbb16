/**
 * Runs the quality rules in DuckDB with few scans: per table ONE aggregate (one per 100 rules on
 * a wide table) counts the failures of every row-level and unique rule
 * (`count(*) FILTER (WHERE NOT (predicate))`), each foreign
 * key gets one anti-join, and failing rows are sampled in one more UNION ALL query per table.
 */
import { aggregateInBatches, queryRows, quoteIdent, type DuckDBConnection } from '../duckdb.ts';
import type { TypedSource } from '../enrichment/types.ts';
import { trendOf } from './trend.ts';
import type { QualityResults, QualityRules, QualityRuleSpec, QueryCounts, RuleResult } from './types.ts';

/**
 * Rules per failure-count statement: a wide table's rules (1000 columns: 1667) in one statement
 * plan for seconds, slower than linearly.
 */
const AGGREGATE_BATCH_RULES = 100;

/**
 * Rule results (failed/passed counts, pass rate, failing samples, trend against the previous run).
 * @tag module=quality
 *
 * @example
 * ```ts
 * const results = await qualityResults(rules, typedSource, conn);
 * results.queryCounts.airports; // { aggregate: 1, referential: 0, samples: 0 }
 * ```
 */
export async function qualityResults(
  qualityRules: QualityRules,
  typedSource: TypedSource,
  duckdb: DuckDBConnection,
  previousQualityResults?: QualityResults,
  failureSampleSize: number = 5,
): Promise<QualityResults> {
  const previous = new Map(previousQualityResults?.results.map((r) => [r.rule, r.passRate]));
  const results: RuleResult[] = [];
  const queryCounts: Record<string, QueryCounts> = {};
  for (const table of typedSource.tables) {
    const rules = qualityRules.rules.filter((r) => r.table === table.name);
    const counts = { aggregate: 0, referential: 0, samples: 0 };
    queryCounts[table.name] = counts;
    if (!rules.length) continue;
    const from = quoteIdent(table.typedTable);
    const inAggregate = rules.filter((r) => r.type !== 'referential_integrity');
    const { row: agg, statements } = await aggregateInBatches(duckdb, from, inAggregate.map((r, i) => [`${failureAggregate(r)} AS "f_${i}"`]), AGGREGATE_BATCH_RULES, ['count(*) AS "total"']);
    counts.aggregate += statements;
    const total = Number(agg?.total ?? 0);
    const failed = new Map<string, number>(inAggregate.map((r, i) => [r.name, Number(agg?.[`f_${i}`] ?? 0)]));
    for (const r of rules.filter((x) => x.type === 'referential_integrity')) {
      const [row] = await queryRows<{ n: string }>(duckdb, `SELECT count(*) AS n FROM ${from} WHERE NOT coalesce((${r.predicate}), false)`);
      counts.referential++;
      failed.set(r.name, Number(row?.n ?? 0));
    }
    const failing = rules.filter((r) => (failed.get(r.name) ?? 0) > 0);
    const samples = new Map<string, Record<string, unknown>[]>();
    if (failing.length && failureSampleSize > 0) {
      const parts = failing.map((r, i) => `SELECT ${i} AS "rule", to_json("_s")::VARCHAR AS "row" FROM (${failingRowsSql(r, from)} LIMIT ${Math.floor(failureSampleSize)}) AS "_s"`);
      const rows = await queryRows<{ rule: number; row: string }>(duckdb, parts.join('\nUNION ALL\n'));
      counts.samples++;
      for (const row of rows) {
        const name = failing[Number(row.rule)]!.name;
        samples.set(name, [...(samples.get(name) ?? []), parseDuckJson(row.row) as Record<string, unknown>]);
      }
    }
    for (const r of rules) {
      const f = failed.get(r.name) ?? 0;
      const passRate = total === 0 ? 1 : (total - f) / total;
      const prev = previous.get(r.name);
      results.push({
        rule: r.name, type: r.type, table: r.table, columns: r.columns, severity: r.severity, dimension: r.dimension,
        totalRecords: total, failedRecords: f, passedRecords: total - f, passRate,
        passed: total === 0 || f / total <= r.tolerance,
        failureSamples: samples.get(r.name) ?? [],
        previousPassRate: prev ?? null, trend: prev === undefined ? null : trendOf(prev, passRate),
      });
    }
  }
  return { sourceName: typedSource.sourceName, executedAt: new Date().toISOString(), results, queryCounts };
}

/**
 * Failing rows of one rule inside the table's aggregate. Unique rules count every row whose key
 * repeats (deequ's uniqueness: values that occur exactly once pass); their predicate's subquery is
 * uncorrelated, so DuckDB groups the key once for the whole statement.
 */
function failureAggregate(r: QualityRuleSpec): string {
  return `count(*) FILTER (WHERE NOT coalesce((${r.predicate}), false))`;
}

function failingRowsSql(r: QualityRuleSpec, from: string): string {
  const order = r.type === 'unique' ? ` ORDER BY ${r.columns.map(quoteIdent).join(', ')}` : '';
  return `SELECT * FROM ${from} WHERE NOT coalesce((${r.predicate}), false)${order}`;
}

/**
 * DuckDB's `to_json` writes NaN and ±Infinity bare, which `JSON.parse` refuses: outside strings
 * they become the strings DuckDB prints (`nan`, `inf`, `-inf`), so a failing row holding one can
 * still be shown.
 */
function parseDuckJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch { /* a bare NaN or Infinity: quote it below */ }
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (inString) {
      out += ch;
      if (ch === '\\') out += text[++i] ?? '';
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    const token = /^(?:-?Infinity|NaN)/.exec(text.slice(i, i + 9))?.[0];
    if (token) {
      out += token === 'NaN' ? '"nan"' : token === 'Infinity' ? '"inf"' : '"-inf"';
      i += token.length - 1;
      continue;
    }
    out += ch;
  }
  return JSON.parse(out);
}
