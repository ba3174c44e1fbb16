/**
 * The whole metadata database as kysely sees it: camelCase here, snake_case in SQL
 * (CamelCasePlugin), e.g. `columnProfiles.profiledAt` is `column_profiles.profiled_at`.
 */
import type {
  ColumnProfilesTable,
  ColumnsTable,
  SemanticAnnotationsTable,
  SourcesTable,
  TablesTable,
  TemporalProfilesTable,
  TypeCandidatesTable,
  TypeDecisionsTable,
  TypeResolutionsTable,
} from './catalog.ts';
import type { CacheEntriesTable, NodeExecutionsTable, RunsTable } from './engine.ts';
import type {
  JoinPathsTable,
  OntologiesTable,
  OntologyApplicationsTable,
  RelationshipsTable,
  TableEntitiesTable,
} from './enrichment.ts';
import type { QualityResultsTable, QualityRulesTable, QualityScoresTable } from './quality.ts';
import type { CheckpointsTable, LlmCacheTable, ReviewQueueTable } from './review.ts';
import type { ColumnMetadataView, LatestProfileView, RelationshipGraphView } from './views.ts';

export interface Database {
  sources: SourcesTable;
  tables: TablesTable;
  columns: ColumnsTable;
  columnProfiles: ColumnProfilesTable;
  typeCandidates: TypeCandidatesTable;
  typeDecisions: TypeDecisionsTable;
  typeResolutions: TypeResolutionsTable;
  semanticAnnotations: SemanticAnnotationsTable;
  temporalProfiles: TemporalProfilesTable;
  tableEntities: TableEntitiesTable;
  relationships: RelationshipsTable;
  joinPaths: JoinPathsTable;
  ontologies: OntologiesTable;
  ontologyApplications: OntologyApplicationsTable;
  qualityRules: QualityRulesTable;
  qualityResults: QualityResultsTable;
  qualityScores: QualityScoresTable;
  checkpoints: CheckpointsTable;
  reviewQueue: ReviewQueueTable;
  llmCache: LlmCacheTable;
  runs: RunsTable;
  nodeExecutions: NodeExecutionsTable;
  cacheEntries: CacheEntriesTable;
  vLatestProfiles: LatestProfileView;
  vColumnMetadata: ColumnMetadataView;
  vRelationshipGraph: RelationshipGraphView;
}
