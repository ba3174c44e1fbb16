/**
 * Type decisions made without asking: a column is decided when its best candidate's confidence
 * reaches the threshold; strong sources (and non-text raw columns) keep their types; a person's
 * decision from an earlier run is applied again while it still reads the data; the rest is left
 * for the type_review gate.
 */
import type { StagingResult } from '../staging/types.ts';
import { describeFormat, percent } from './formats.ts';
import type {
  AutoTypeDecisions, ColumnTypeDecision, ColumnTypeInference, DecisionFit, StaleDecision, TypeCandidatesResult, UncertainColumn,
} from './types.ts';

/** Who automatic decisions are attributed to. */
export const AUTO_DECIDER = 'dataraum';

/**
 * Splits columns into decided and uncertain. `priorTypeDecisions` are a person's decisions from
 * earlier runs and `priorTypeFit` how well each reads this run's data: one that parses at least
 * `decisionThreshold` of the column's values, or at least the share it read when the person decided
 * (`acceptedFit`), is applied without asking; one below both puts the column back to review,
 * saying why (without a fit, an earlier decision is applied as it is).
 *
 * @example
 * ```ts
 * const auto = autoTypeDecisions(await typeCandidates(staging, conn), staging, 0.95);
 * auto.decided.find((d) => d.column === 'price')?.decidedType; // 'DOUBLE'
 * auto.uncertain.map((u) => u.itemId);                          // ['orders.shipped_on']
 * ```
 */
export function autoTypeDecisions(
  typeCandidates: TypeCandidatesResult, staging: StagingResult, decisionThreshold = 0.95,
  priorTypeDecisions?: Readonly<Record<string, ColumnTypeDecision>>, priorTypeFit?: Readonly<Record<string, DecisionFit>>,
): AutoTypeDecisions {
  if (!(typeof decisionThreshold === 'number' && decisionThreshold >= 0 && decisionThreshold <= 1)) {
    throw new Error(`autoTypeDecisions: decisionThreshold must be a number between 0 and 1, got ${JSON.stringify(decisionThreshold)}`);
  }
  const decidedAt = new Date().toISOString();
  const decided: ColumnTypeDecision[] = [];
  const uncertain: UncertainColumn[] = [];
  const order: string[] = [];
  for (const table of staging.tables) {
    const inferred = typeCandidates.tables[table.name];
    for (const col of [...table.columns].sort((a, b) => a.position - b.position)) {
      const itemId = `${table.name}.${col.name}`;
      order.push(itemId);
      const inf = inferred?.columns[col.name];
      const prior = priorTypeDecisions?.[itemId];
      const fit = priorTypeFit?.[itemId];
      if (!inf) {
        const kept: ColumnTypeDecision = {
          table: table.name, column: col.name, rawType: col.rawType, decidedType: col.rawType, format: { kind: 'native' }, nullTokens: [],
          confidence: 1, decisionSource: 'auto', decidedBy: AUTO_DECIDER, decidedAt,
          reason: table.strength === 'strong' ? `strong source (${staging.sourceType}): ${col.rawType} kept` : `raw column is already ${col.rawType}: kept`,
        };
        decided.push(prior ? reapplied(kept, prior) : kept);
        continue;
      }
      const decision = suggestion(inf, decidedAt);
      if (prior && (!fit || stillFits(prior, fit, decisionThreshold))) decided.push(reapplied(decision, prior));
      else if (prior && fit) uncertain.push(uncertainColumn(inf, decision, stale(prior, fit, decisionThreshold)));
      else if (inf.best.confidence >= decisionThreshold) decided.push(decision);
      else uncertain.push(uncertainColumn(inf, decision));
    }
  }
  return { threshold: decisionThreshold, order, decided, uncertain };
}

/** A person's earlier decision over this run's column: their type, format, name, reason and the fit they accepted. */
function reapplied(base: ColumnTypeDecision, prior: ColumnTypeDecision): ColumnTypeDecision {
  return {
    ...base, decidedType: prior.decidedType, format: prior.format, confidence: 1, decisionSource: 'manual',
    decidedBy: prior.decidedBy, decidedAt: prior.decidedAt, reason: prior.reason || 'decided by a person on an earlier run',
    ...(prior.acceptedFit ? { acceptedFit: prior.acceptedFit } : {}),
  };
}

/**
 * A person who accepted a reading below the threshold knew its failing values: the decision
 * stands while the data reads at least as well as then, and comes back only when it got worse.
 */
function stillFits(prior: ColumnTypeDecision, fit: DecisionFit, threshold: number): boolean {
  return fit.parseSuccessRate >= Math.min(threshold, prior.acceptedFit?.parseSuccessRate ?? threshold);
}

function stale(prior: ColumnTypeDecision, fit: DecisionFit, threshold: number): StaleDecision {
  const n = fit.parsedCount + fit.failedCount;
  const examples = fit.failedExamples.slice(0, 3).map((e) => `row ${e.row} '${e.value}'`).join(', ');
  const accepted = prior.acceptedFit;
  const then = accepted && accepted.parseSuccessRate < threshold
    ? ` and the ${percent(accepted.parseSuccessRate)} of ${accepted.parsedCount + accepted.failedCount} it read when decided` : '';
  const note = `the earlier decision no longer fits: ${prior.decidedType} as ${describeFormat(prior.format)} (decided by ${prior.decidedBy}) ` +
    `reads ${percent(fit.parseSuccessRate)} of ${n} non-null values now, below the threshold of ${percent(threshold)}${then}` +
    `${examples ? `; failing: ${examples}` : ''}. Decide again.`;
  return { decision: prior, parseSuccessRate: fit.parseSuccessRate, parsedCount: fit.parsedCount, failedCount: fit.failedCount, failedExamples: fit.failedExamples, note };
}

function suggestion(inf: ColumnTypeInference, decidedAt: string): ColumnTypeDecision {
  const b = inf.best;
  const rate = `${percent(b.parseSuccessRate)} of ${inf.nonNullCount} non-null values parse`;
  const reason = [`${b.type} as ${describeFormat(b.format)}: ${rate}`, ...b.notes].join('; ');
  return {
    table: inf.table, column: inf.column, rawType: inf.rawType, decidedType: b.duckdbType, format: b.format, nullTokens: inf.nullTokens,
    confidence: b.confidence, decisionSource: 'auto', decidedBy: AUTO_DECIDER, decidedAt, reason,
  };
}

function uncertainColumn(inf: ColumnTypeInference, decision: ColumnTypeDecision, earlierDecision?: StaleDecision): UncertainColumn {
  return {
    itemId: `${inf.table}.${inf.column}`,
    table: inf.table,
    column: inf.column,
    suggestion: earlierDecision ? { ...decision, reason: `${decision.reason}; ${earlierDecision.note}` } : decision,
    candidates: inf.candidates,
    hints: {
      nonNullCount: inf.nonNullCount, distinctCount: inf.distinctCount, distinctCountApproximate: inf.distinctCountApproximate, minLength: inf.minLength, maxLength: inf.maxLength,
      ...(inf.pattern ? { pattern: inf.pattern } : {}), ...(inf.unit ? { unit: inf.unit } : {}), ...(inf.identifier ? { identifier: inf.identifier } : {}),
    },
    ...(earlierDecision ? { earlierDecision } : {}),
  };
}
