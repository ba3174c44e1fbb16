/** Read-only views over the metadata model. */
import type { Selectable } from 'kysely';
import type { ColumnProfilesTable, DecisionSource, TableLayer } from './catalog.ts';
import type { Json } from './values.ts';

/** The most recent profile of each column (ties broken by profile id). */
export type LatestProfileView = Selectable<ColumnProfilesTable>;

/** One row per column: its table and source, latest profile, type decision and semantic annotation. */
export interface ColumnMetadataView {
  columnId: string;
  columnName: string;
  originalName: string | null;
  columnPosition: number;
  rawType: string | null;
  resolvedType: string | null;
  tableId: string;
  tableName: string;
  layer: TableLayer;
  rowCount: number | null;
  sourceId: string;
  sourceName: string;
  sourceType: string;
  profileId: string | null;
  profiledAt: string | null;
  totalCount: number | null;
  nullCount: number | null;
  distinctCount: number | null;
  nullRatio: number | null;
  cardinalityRatio: number | null;
  minValue: string | null;
  maxValue: string | null;
  meanValue: number | null;
  topValues: Json | null;
  decidedType: string | null;
  decisionSource: DecisionSource | null;
  decidedAt: string | null;
  semanticRole: string | null;
  entityType: string | null;
  businessName: string | null;
  businessDescription: string | null;
  businessDomain: string | null;
  ontologyTerm: string | null;
  semanticConfidence: number | null;
}

/** Relationships with the names of the tables and columns at both ends. */
export interface RelationshipGraphView {
  relationshipId: string;
  relationshipType: string;
  cardinality: string | null;
  confidence: number | null;
  detectionMethod: string | null;
  isConfirmed: boolean;
  fromTableId: string;
  fromTableName: string;
  fromColumnId: string;
  fromColumnName: string;
  toTableId: string;
  toTableName: string;
  toColumnId: string;
  toColumnName: string;
}
