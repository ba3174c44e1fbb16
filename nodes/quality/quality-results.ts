/**
 * Runs the quality rules in DuckDB with few scans: per table ONE aggregate counts the failures
 * of every row-level and unique rule (`count(*) FILTER (WHERE NOT (predicate))`), each foreign
 * key gets one anti-join, and failing rows are sampled in one more UNION ALL query per table.
 */
import { queryRows, quoteIdent, type DuckDBConnection } from '../duckdb.ts';
import type { TypedSource } from '../enrichment/types.ts';
import type { QualityResults, QualityRules, QualityRuleSpec, QueryCounts, RuleResult, Trend } from './types.ts';

/** Pass-rate change below which the trend is `stable`. */
export const TREND_EPSILON = 0.001;

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
  sampleSize: number = 5,
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
    const select = ['count(*) AS "total"', ...inAggregate.map((r, i) => `${failureAggregate(r)} AS "f_${i}"`)];
    const [agg] = await queryRows<Record<string, string | number>>(duckdb, `SELECT ${select.join(', ')} FROM ${from}`);
    counts.aggregate++;
    const total = Number(agg?.total ?? 0);
    const failed = new Map<string, number>(inAggregate.map((r, i) => [r.name, Number(agg?.[`f_${i}`] ?? 0)]));
    for (const r of rules.filter((x) => x.type === 'referential_integrity')) {
      const [row] = await queryRows<{ n: string }>(duckdb, `SELECT count(*) AS n FROM ${from} WHERE NOT coalesce((${r.predicate}), false)`);
      counts.referential++;
      failed.set(r.name, Number(row?.n ?? 0));
    }
    const failing = rules.filter((r) => (failed.get(r.name) ?? 0) > 0);
    const samples = new Map<string, Record<string, unknown>[]>();
    if (failing.length && sampleSize > 0) {
      const parts = failing.map((r, i) => `SELECT ${i} AS "rule", to_json("_s")::VARCHAR AS "row" FROM (${failingRowsSql(r, from)} LIMIT ${Math.floor(sampleSize)}) AS "_s"`);
      const rows = await queryRows<{ rule: number; row: string }>(duckdb, parts.join('\nUNION ALL\n'));
      counts.samples++;
      for (const row of rows) {
        const name = failing[Number(row.rule)]!.name;
        samples.set(name, [...(samples.get(name) ?? []), JSON.parse(row.row) as Record<string, unknown>]);
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

/** `up` when the pass rate rose by more than TREND_EPSILON, `down` when it fell, else `stable`. */
export function trendOf(previous: number, current: number): Trend {
  if (current - previous > TREND_EPSILON) return 'up';
  if (previous - current > TREND_EPSILON) return 'down';
  return 'stable';
}

/** Failing rows of one rule as an aggregate expression (windows are not allowed in FILTER, so unique counts the surplus instead). */
function failureAggregate(r: QualityRuleSpec): string {
  if (r.type === 'unique') {
    const c = quoteIdent(r.columns[0]!);
    // Rows sharing a value with another row: non-null rows minus values that occur exactly once is not
    // computable without grouping, so count rows beyond the first of each value (deequ's uniqueness complement).
    return `(count(${c}) - count(DISTINCT ${c}))`;
  }
  return `count(*) FILTER (WHERE NOT coalesce((${r.predicate}), false))`;
}

function failingRowsSql(r: QualityRuleSpec, from: string): string {
  if (r.type === 'unique') {
    const c = quoteIdent(r.columns[0]!);
    return `SELECT * FROM ${from} WHERE ${c} IN (SELECT ${c} FROM ${from} WHERE ${c} IS NOT NULL GROUP BY ${c} HAVING count(*) > 1) ORDER BY ${c}`;
  }
  return `SELECT * FROM ${from} WHERE NOT coalesce((${r.predicate}), false)`;
}
