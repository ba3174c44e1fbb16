/**
 * Enrichment across tables: detected entities, relationships, join paths, and the ontologies
 * applied to tables.
 */
import type { DefaultBoolean, DefaultTimestamp, Json, NullableTimestamp } from './values.ts';

export interface TableEntitiesTable {
  entityId: string;
  tableId: string;
  detectedEntityType: string;
  description: string | null;
  confidence: number | null;
  evidence: Json | null;
  /** Column names that make up the table's grain. */
  grainColumns: Json<string[]> | null;
  isFactTable: DefaultBoolean;
  isDimensionTable: DefaultBoolean;
  detectionSource: string | null;
  detectedAt: DefaultTimestamp;
}

export interface RelationshipsTable {
  relationshipId: string;
  fromTableId: string;
  fromColumnId: string;
  toTableId: string;
  toColumnId: string;
  /** e.g. `foreign_key`, `hierarchy`, `correlation`. */
  relationshipType: string;
  /** e.g. `one_to_one`, `one_to_many`, `many_to_many`. */
  cardinality: string | null;
  confidence: number | null;
  detectionMethod: string | null;
  evidence: Json | null;
  isConfirmed: DefaultBoolean;
  confirmedAt: NullableTimestamp;
  confirmedBy: string | null;
  detectedAt: DefaultTimestamp;
}

export interface JoinPathsTable {
  pathId: string;
  fromTableId: string;
  toTableId: string;
  /** The steps, e.g. `[{ fromColumn, toTable, toColumn }]`. */
  pathSteps: Json<unknown[]>;
  pathLength: number;
  totalConfidence: number | null;
  computedAt: DefaultTimestamp;
}

export interface OntologiesTable {
  ontologyId: string;
  name: string;
  description: string | null;
  version: string | null;
  concepts: Json | null;
  metrics: Json | null;
  qualityRules: Json | null;
  semanticHints: Json | null;
  isBuiltin: DefaultBoolean;
  createdAt: DefaultTimestamp;
  updatedAt: DefaultTimestamp;
}

export interface OntologyApplicationsTable {
  applicationId: string;
  tableId: string;
  ontologyId: string;
  matchedConcepts: Json | null;
  applicableMetrics: Json | null;
  appliedRules: Json | null;
  appliedAt: DefaultTimestamp;
}

