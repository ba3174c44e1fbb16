/**
 * How well a person's decisions from earlier runs read this run's data. The data behind a source
 * can change between runs (a new export of the same file), and a remembered decision that no
 * longer fits must be asked again instead of sending the column's rows to quarantine.
 */
import type { DuckDBConnection } from '../duckdb.ts';
import { queryRows } from '../duckdb.ts';
import { rawRows, readingRaw } from '../staging/raw-rows.ts';
import type { StagingResult } from '../staging/types.ts';
import { round6, type CandidateSpec } from './candidates.ts';
import { sameReading } from './formats.ts';
import type { CandidateType, ColumnTypeDecision, DecisionFit, TypeCandidatesResult } from './types.ts';
import { parseVerifyRow, verifyQuery } from './verify.ts';

/** Failing values kept per verified decision (the inference default). */
const MAX_FAILED_EXAMPLES = 5;

/**
 * The fit of every earlier manual decision on a column inference read, keyed by `table.column`.
 * A decision with the type and format of one of this run's candidates takes that candidate's
 * verified counts; any other is verified over the whole column (one query per table). Text and
 * native decisions always fit and columns inference did not read (strong sources, typed raw
 * columns) have nothing to measure: both are left out.
 * @tag module=typing
 * @example
 * ```ts
 * const fit = await priorTypeFit(prior, candidates, staging, conn);
 * fit['orders.ordered_on']; // { parseSuccessRate: 0, parsedCount: 0, failedCount: 50, failedExamples: [{ row: 1, value: '2024-03-25' }, ...] }
 * ```
 */
export async function priorTypeFit(
  priorTypeDecisions: Readonly<Record<string, ColumnTypeDecision>>, typeCandidates: TypeCandidatesResult, staging: StagingResult, duckdb: DuckDBConnection,
): Promise<Readonly<Record<string, DecisionFit>>> {
  const out: Record<string, DecisionFit> = {};
  const toVerify = new Map<string, { column: string; decision: ColumnTypeDecision }[]>();
  for (const [itemId, prior] of Object.entries(priorTypeDecisions)) {
    const inf = typeCandidates.tables[prior.table]?.columns[prior.column];
    if (!inf || prior.format.kind === 'text' || prior.format.kind === 'native') continue;
    const same = inf.candidates.find((c) => sameReading(c, { duckdbType: prior.decidedType, format: prior.format }));
    if (same) {
      out[itemId] = { parseSuccessRate: same.parseSuccessRate, parsedCount: same.parsedCount, failedCount: same.failedCount, failedExamples: same.failedExamples };
      continue;
    }
    const list = toVerify.get(prior.table) ?? [];
    list.push({ column: prior.column, decision: prior });
    toVerify.set(prior.table, list);
  }
  for (const [name, priors] of toVerify) {
    const table = staging.tables.find((t) => t.name === name);
    const inferred = typeCandidates.tables[name];
    if (!table || !inferred) continue;
    const columns = priors.map((p) => ({ name: p.column, specs: [specOf(p.decision)] }));
    // Every column of a table shares the inference's null tokens.
    const nullTokens = inferred.columns[priors[0].column].nullTokens;
    const vq = verifyQuery(rawRows(table), columns, nullTokens, MAX_FAILED_EXAMPLES);
    const [row] = await readingRaw('priorTypeFit', table, 'verify earlier decisions', () => queryRows(duckdb, vq.sql, vq.params.values as never));
    parseVerifyRow(row, columns).forEach(([v], i) => {
      const n = inferred.columns[priors[i].column].nonNullCount;
      out[`${name}.${priors[i].column}`] = { parseSuccessRate: n > 0 ? round6(v.parsed / n) : 1, parsedCount: v.parsed, failedCount: n - v.parsed, failedExamples: v.failedExamples };
    });
  }
  return out;
}

function specOf(d: ColumnTypeDecision): CandidateSpec {
  // The verify pass reads only duckdbType and format; the type is for the spec's shape.
  const type = d.decidedType.toUpperCase().replace(/\(.*$/, '').trim() as CandidateType;
  return { type, duckdbType: d.decidedType, format: d.format, weight: 1, notes: [] };
}
