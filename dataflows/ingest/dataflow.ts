import { defineDataflow } from '../../engine/index.ts';

/**
 * The context engine's ingest: stage, profile, type, enrich, check quality, write the context
 * document. `llmRuntime` (input `llmConfig`, off by default) lets a model refine semantics,
 * quality rules, suggested queries and the summary.
 */
export default defineDataflow({
  name: 'ingest',
  description: 'Stage a source into DuckDB, profile every column, infer and apply types with quarantine',
  modules: [
    '../../nodes/warehouse/warehouse.ts',
    '../../nodes/llm/llm-runtime.ts',
    '../../nodes/staging/staging.ts',
    '../../nodes/staging/source-snapshot.ts',
    '../../nodes/staging/catalog.ts',
    '../../nodes/profiling/profiling.ts',
    '../../nodes/profiling/stored-profiles.ts',
    '../../nodes/typing/inference.ts',
    '../../nodes/typing/stored-candidates.ts',
    '../../nodes/typing/prior-fit.ts',
    '../../nodes/typing/decisions.ts',
    '../../nodes/typing/review.ts',
    '../../nodes/typing/type-decisions.ts',
    '../../nodes/typing/resolution.ts',
    '../../nodes/typing/stored-types.ts',
    '../../nodes/typing/typed-source.ts',
    '../../nodes/enrichment/semantic/ontology.ts',
    '../../nodes/enrichment/semantic/semantic-annotations.ts',
    '../../nodes/enrichment/semantic/stored-semantic-annotations.ts',
    '../../nodes/enrichment/semantic/ontology-metrics.ts',
    '../../nodes/enrichment/topology/relationships.ts',
    '../../nodes/enrichment/topology/join-paths.ts',
    '../../nodes/enrichment/topology/stored-relationships.ts',
    '../../nodes/enrichment/temporal/temporal-profiles.ts',
    '../../nodes/enrichment/temporal/stored-temporal-profiles.ts',
    '../../nodes/quality/quality-rules.ts',
    '../../nodes/quality/quality-results.ts',
    '../../nodes/quality/quality-scores.ts',
    '../../nodes/quality/stored-quality.ts',
    '../../nodes/context/context-document.ts',
    '../../nodes/llm/context-summary-node.ts',
    '../../nodes/context/context-document-file.ts',
    '../../nodes/ingest/summary.ts',
  ],
});
