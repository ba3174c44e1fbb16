/** Quality rules, their results over time, and the quality scores of tables and columns. */
import type { DefaultBoolean, DefaultTimestamp, Json } from './values.ts';

export interface QualityRulesTable {
  ruleId: string;
  tableId: string;
  /** Null for table-level rules. */
  columnId: string | null;
  ruleName: string;
  ruleType: string;
  /** A SQL predicate over the table that holds for valid rows. */
  ruleExpression: string | null;
  ruleParameters: Json | null;
  severity: string | null;
  /** Who proposed the rule: `heuristic`, `ontology`, `llm`, `manual`... */
  source: string | null;
  description: string | null;
  isActive: DefaultBoolean;
  createdAt: DefaultTimestamp;
  createdBy: string | null;
}

export interface QualityResultsTable {
  resultId: string;
  ruleId: string;
  executedAt: DefaultTimestamp;
  totalRecords: number | null;
  passedRecords: number | null;
  failedRecords: number | null;
  passRate: number | null;
  failureSamples: Json | null;
  previousPassRate: number | null;
  trendDirection: string | null;
}

export interface QualityScoresTable {
  scoreId: string;
  tableId: string;
  /** Null for the table's overall score. */
  columnId: string | null;
  completenessScore: number | null;
  validityScore: number | null;
  consistencyScore: number | null;
  uniquenessScore: number | null;
  timelinessScore: number | null;
  overallScore: number | null;
  computedAt: DefaultTimestamp;
}
