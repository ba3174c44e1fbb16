/**
 * Which columns hold JSON, booleans and timestamps, per table (snake_case, as in SQL). The value
 * codec uses this to convert values the same way on both dialects; a test checks it against the
 * column types PostgreSQL reports, so a new column of one of these kinds must be listed here.
 *
 * A column name listed here must mean the same kind in every table and view it appears in: on
 * SQLite, result rows are decoded by column name because a row does not say which table it came
 * from.
 */

export interface ValueColumns {
  readonly json: readonly string[];
  readonly boolean: readonly string[];
  readonly timestamp: readonly string[];
}

const none: readonly string[] = [];

export const VALUE_COLUMNS: Readonly<Record<string, ValueColumns>> = {
  sources: { json: ['connection_config'], boolean: none, timestamp: ['created_at', 'updated_at'] },
  tables: { json: none, boolean: none, timestamp: ['created_at', 'last_profiled_at'] },
  columns: { json: none, boolean: none, timestamp: none },
  column_profiles: { json: ['percentiles', 'histogram', 'top_values'], boolean: none, timestamp: ['profiled_at'] },
  type_candidates: { json: ['failed_examples', 'format'], boolean: none, timestamp: ['detected_at'] },
  type_decisions: { json: ['decision_detail'], boolean: none, timestamp: ['decided_at'] },
  type_resolutions: { json: ['sample_failures'], boolean: none, timestamp: ['resolved_at'] },
  semantic_annotations: { json: none, boolean: none, timestamp: ['annotated_at'] },
  temporal_profiles: {
    json: ['gap_details'],
    boolean: ['has_seasonality'],
    timestamp: ['min_timestamp', 'max_timestamp', 'profiled_at'],
  },
  table_entities: {
    json: ['evidence', 'grain_columns'],
    boolean: ['is_fact_table', 'is_dimension_table'],
    timestamp: ['detected_at'],
  },
  relationships: { json: ['evidence'], boolean: ['is_confirmed'], timestamp: ['confirmed_at', 'detected_at'] },
  join_paths: { json: ['path_steps'], boolean: none, timestamp: ['computed_at'] },
  ontologies: {
    json: ['concepts', 'metrics', 'quality_rules', 'semantic_hints'],
    boolean: ['is_builtin'],
    timestamp: ['created_at', 'updated_at'],
  },
  ontology_applications: {
    json: ['matched_concepts', 'applicable_metrics', 'applied_rules'],
    boolean: none,
    timestamp: ['applied_at'],
  },
  quality_rules: { json: ['rule_parameters'], boolean: ['is_active'], timestamp: ['created_at'] },
  quality_results: { json: ['failure_samples'], boolean: none, timestamp: ['executed_at'] },
  quality_scores: { json: none, boolean: none, timestamp: ['computed_at'] },
  checkpoints: {
    json: ['checkpoint_state', 'result_summary'],
    boolean: none,
    timestamp: ['created_at', 'resumed_at', 'completed_at'],
  },
  review_queue: {
    json: ['context_data', 'suggested_action', 'modified_action'],
    boolean: none,
    timestamp: ['reviewed_at'],
  },
  llm_cache: {
    json: ['table_ids', 'response_json'],
    boolean: ['is_valid'],
    timestamp: ['created_at', 'expires_at'],
  },
  runs: { json: ['final_vars', 'config'], boolean: none, timestamp: ['started_at', 'finished_at'] },
  node_executions: { json: none, boolean: ['cache_hit'], timestamp: ['started_at'] },
  cache_entries: { json: none, boolean: none, timestamp: ['created_at', 'last_hit_at'] },
};

/** Views: only what reading needs (views are never written). */
export const VIEW_VALUE_COLUMNS: Readonly<Record<string, ValueColumns>> = {
  v_latest_profiles: VALUE_COLUMNS.column_profiles,
  v_column_metadata: { json: ['top_values'], boolean: none, timestamp: ['profiled_at', 'decided_at'] },
  v_relationship_graph: { json: none, boolean: ['is_confirmed'], timestamp: none },
};
