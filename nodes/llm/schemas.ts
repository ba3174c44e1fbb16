/**
 * What each feature asks the model for, as zod schemas. The prompt embeds them as JSON Schema
 * (`z.toJSONSchema`); `callLlm` validates every answer against them.
 */
import { z } from 'zod';
import { SEMANTIC_ROLES } from '../../config/ontology.ts';
import type { LlmFeature } from '../../config/llm.ts';
import { QUERY_CATEGORIES } from '../context/schema.ts';

export const SemanticAnswerSchema = z.object({
  columns: z.array(z.object({
    table: z.string().min(1),
    column: z.string().min(1),
    role: z.enum(SEMANTIC_ROLES),
    entityType: z.string().min(1),
    businessName: z.string().min(1),
    businessDescription: z.string(),
    ontologyTerm: z.string().nullable(),
    confidence: z.number().min(0).max(1),
    reason: z.string().min(1),
  })),
  tables: z.array(z.object({
    table: z.string().min(1),
    entityType: z.string().min(1),
    description: z.string(),
    isFact: z.boolean(),
    isDimension: z.boolean(),
    confidence: z.number().min(0).max(1),
    reason: z.string().min(1),
  })),
});

export const LLM_RULE_TYPES = ['not_null', 'range', 'non_negative', 'positive', 'allowed_values', 'pattern', 'not_future', 'max_null_ratio'] as const;

export const QualityRulesAnswerSchema = z.object({
  rules: z.array(z.object({
    table: z.string().min(1),
    columns: z.array(z.string().min(1)).min(1),
    type: z.enum(LLM_RULE_TYPES),
    /** DuckDB boolean expression over one row, true for valid rows. */
    predicate: z.string().min(1),
    severity: z.enum(['error', 'warning', 'info']),
    dimension: z.enum(['completeness', 'validity', 'consistency', 'uniqueness']),
    tolerance: z.number().min(0).max(1).default(0),
    description: z.string().min(1),
  })),
  /** Names of heuristic rules the model thinks are wrong for this data. */
  drop: z.array(z.string()).default([]),
});

export const SuggestedQueriesAnswerSchema = z.object({
  queries: z.array(z.object({
    category: z.enum(QUERY_CATEGORIES),
    title: z.string().min(1),
    description: z.string().min(1),
    sql: z.string().min(1),
    tables: z.array(z.string()),
  })),
});

export const ContextSummaryAnswerSchema = z.object({
  summary: z.string().min(40).max(4000),
});

export const FEATURE_SCHEMAS = {
  semantic_analysis: SemanticAnswerSchema,
  quality_rules: QualityRulesAnswerSchema,
  suggested_queries: SuggestedQueriesAnswerSchema,
  context_summary: ContextSummaryAnswerSchema,
} as const satisfies Record<LlmFeature, z.ZodType>;

export type FeatureAnswer<F extends LlmFeature> = z.output<(typeof FEATURE_SCHEMAS)[F]>;
