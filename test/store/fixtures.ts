/**
 * A small, fully populated catalog: one source, a raw and a typed table of airports and flights,
 * and one row in every metadata table, with every kind of value (JSON objects, arrays and
 * scalars, booleans, timestamps, floats, big integers, NULLs). Values are what the store returns:
 * inserting them and selecting them back must give them back unchanged.
 */
import type { Insertable } from 'kysely';
import type { Database, Store } from '../../store/index.ts';

const id = () => crypto.randomUUID();
const ts = (iso: string) => new Date(iso).toISOString();

export function catalogRows() {
  const sourceId = id();
  const airports = id();
  const flights = id();
  const iata = id();
  const name = id();
  const origin = id();
  const delay = id();
  const flightDate = id();
  const ontologyId = id();
  const ruleId = id();

  const rows = {
    sources: [
      { sourceId, name: 'vega', sourceType: 'csv', connectionConfig: { path: 'data/airports.csv', options: { has_header: true, delimiter: ',' }, files: [{ file_name: 'a.csv' }, 'b.csv'] }, createdAt: ts('2026-01-01T10:00:00.123Z'), updatedAt: ts('2026-01-02T10:00:00Z') },
    ],
    tables: [
      { tableId: airports, sourceId, tableName: 'airports', originalName: 'Airports.csv', layer: 'raw' as const, duckdbPath: null, rowCount: 3376, createdAt: ts('2026-01-01T10:00:01Z'), lastProfiledAt: ts('2026-01-01T10:00:02Z') },
      { tableId: flights, sourceId, tableName: 'flights', originalName: null, layer: 'typed' as const, duckdbPath: '/tmp/x.duckdb', rowCount: 2 ** 40, createdAt: ts('2026-01-01T10:00:01Z'), lastProfiledAt: null },
    ],
    columns: [
      { columnId: iata, tableId: airports, columnName: 'iata', originalName: 'IATA code', columnPosition: 0, rawType: 'VARCHAR', resolvedType: 'VARCHAR' },
      { columnId: name, tableId: airports, columnName: 'name', originalName: null, columnPosition: 1, rawType: 'VARCHAR', resolvedType: null },
      { columnId: origin, tableId: flights, columnName: 'origin', originalName: 'origin', columnPosition: 0, rawType: 'VARCHAR', resolvedType: 'VARCHAR' },
      { columnId: delay, tableId: flights, columnName: 'delay', originalName: 'delay', columnPosition: 1, rawType: 'VARCHAR', resolvedType: 'INTEGER' },
      { columnId: flightDate, tableId: flights, columnName: 'date', originalName: 'date', columnPosition: 2, rawType: 'VARCHAR', resolvedType: 'TIMESTAMP' },
    ],
    columnProfiles: [
      { profileId: id(), columnId: delay, profiledAt: ts('2026-01-01T10:00:00Z'), totalCount: 100, nullCount: 0, distinctCount: 40, minValue: '-5', maxValue: '300', meanValue: 12.5, stddevValue: 3.25, percentiles: { p25: 1, p50: 5.5, p75: 20 }, minLength: 1, maxLength: 3, avgLength: 1.75, histogram: [{ bin: 0, count: 10 }, { bin: 10, count: 90 }], topValues: [{ value: '0', count: 12 }], cardinalityRatio: 0.4, nullRatio: 0 },
      // The latest profile of `delay`: the view must pick this one.
      { profileId: id(), columnId: delay, profiledAt: ts('2026-02-01T10:00:00Z'), totalCount: 2 ** 33, nullCount: 7, distinctCount: 41, minValue: '-6', maxValue: '301', meanValue: -0.125, stddevValue: null, percentiles: null, minLength: null, maxLength: null, avgLength: null, histogram: [], topValues: [], cardinalityRatio: 1e-9, nullRatio: 0.07 },
      { profileId: id(), columnId: iata, profiledAt: ts('2026-01-15T10:00:00Z'), totalCount: 3376, nullCount: 0, distinctCount: 3376, minValue: '00M', maxValue: 'ZZV', meanValue: null, stddevValue: null, percentiles: null, minLength: 3, maxLength: 3, avgLength: 3, histogram: null, topValues: [{ value: 'ÄÖÜ "quoted" \'single\'', count: 1 }], cardinalityRatio: 1, nullRatio: 0 },
    ],
    typeCandidates: [
      { candidateId: id(), columnId: delay, detectedAt: ts('2026-01-01T10:00:03Z'), dataType: 'INTEGER', confidence: 0.99, parseSuccessRate: 0.995, failedExamples: ['n/a', '', 'NaN'], format: { kind: 'number', decimal: '.', thousands: '' }, detectedPattern: '^-?\\d+$', patternMatchRate: 0.99, detectedUnit: 'minutes', unitConfidence: 0.5 },
    ],
    typeDecisions: [
      { decisionId: id(), columnId: delay, decidedType: 'INTEGER', decisionSource: 'auto' as const, decidedAt: ts('2026-01-01T10:00:04Z'), decidedBy: null, previousType: 'VARCHAR', decisionReason: 'parse rate 99.5%', decisionDetail: { format: { kind: 'number', decimal: ',' }, raw_type: 'VARCHAR' } },
    ],
    semanticAnnotations: [
      { annotationId: id(), columnId: delay, semanticRole: 'measure', entityType: null, businessName: 'Departure delay', businessDescription: 'Minutes late', businessDomain: 'aviation', ontologyTerm: 'delay', ontologyUri: 'https://example.org/delay', annotationSource: 'heuristic', annotatedAt: ts('2026-01-01T10:00:05Z'), annotatedBy: 'dataraum', confidence: 0.8 },
    ],
    temporalProfiles: [
      { temporalId: id(), columnId: flightDate, minTimestamp: ts('2001-01-01T00:00:00Z'), maxTimestamp: ts('2001-12-31T23:59:59.999Z'), detectedGranularity: 'day', granularityConfidence: 0.9, dominantGap: '1 day', expectedPeriods: 365, actualPeriods: 360, completenessRatio: 360 / 365, gapCount: 5, largestGap: '3 days', gapDetails: [{ from: '2001-02-01', to: '2001-02-04' }], hasSeasonality: true, seasonalityPeriod: 7, trendDirection: 'up', profiledAt: ts('2026-01-01T10:00:06Z') },
    ],
    tableEntities: [
      { entityId: id(), tableId: flights, detectedEntityType: 'flight', description: 'One row per flight', confidence: 0.7, evidence: { keywords: ['origin', 'delay'], score: 0.7 }, grainColumns: ['date', 'origin'], isFactTable: true, isDimensionTable: false, detectionSource: 'heuristic', detectedAt: ts('2026-01-01T10:00:07Z') },
    ],
    relationships: [
      { relationshipId: id(), fromTableId: flights, fromColumnId: origin, toTableId: airports, toColumnId: iata, relationshipType: 'foreign_key', cardinality: 'many_to_one', confidence: 0.98, detectionMethod: 'inclusion', evidence: { matchRate: 0.98 }, isConfirmed: false, confirmedAt: null, confirmedBy: null, detectedAt: ts('2026-01-01T10:00:08Z') },
    ],
    joinPaths: [
      { pathId: id(), fromTableId: flights, toTableId: airports, pathSteps: [{ fromColumn: 'origin', toTable: 'airports', toColumn: 'iata' }], pathLength: 1, totalConfidence: 0.98, computedAt: ts('2026-01-01T10:00:09Z') },
    ],
    ontologies: [
      { ontologyId, name: 'aviation', description: null, version: '1.0', concepts: { flight: { columns: ['origin'] } }, metrics: [{ name: 'on_time_rate' }], qualityRules: [], semanticHints: 'plain string as JSON', isBuiltin: true, createdAt: ts('2026-01-01T00:00:00Z'), updatedAt: ts('2026-01-01T00:00:00Z') },
    ],
    ontologyApplications: [
      { applicationId: id(), tableId: flights, ontologyId, matchedConcepts: ['flight'], applicableMetrics: ['on_time_rate'], appliedRules: [{ rule: 'delay >= -60' }], appliedAt: ts('2026-01-01T10:00:10Z') },
    ],
    qualityRules: [
      { ruleId, tableId: flights, columnId: delay, ruleName: 'delay_range', ruleType: 'range', ruleExpression: '"delay" between -60 and 1440', ruleParameters: { min: -60, max: 1440 }, severity: 'warning', source: 'heuristic', description: null, isActive: true, createdAt: ts('2026-01-01T10:00:11Z'), createdBy: null },
    ],
    qualityResults: [
      { resultId: id(), ruleId, executedAt: ts('2026-01-01T10:00:12Z'), totalRecords: 100, passedRecords: 97, failedRecords: 3, passRate: 0.97, failureSamples: [{ delay: 2000 }, { delay: null }], previousPassRate: null, trendDirection: null },
    ],
    qualityScores: [
      { scoreId: id(), tableId: flights, columnId: null, completenessScore: 1, validityScore: 0.97, consistencyScore: 0.5, uniquenessScore: 0.25, timelinessScore: null, overallScore: 0.68, computedAt: ts('2026-01-01T10:00:13Z') },
    ],
    llmCache: [
      { cacheId: id(), cacheKey: 'semantic:abc', feature: 'semantic', sourceId, tableIds: [flights, airports], ontology: 'aviation', provider: 'anthropic', model: 'some-model', promptHash: 'abc', responseJson: { columns: [{ name: 'delay', role: 'measure' }] }, inputTokens: 1200, outputTokens: 300, createdAt: ts('2026-01-01T10:00:14Z'), expiresAt: null, isValid: false },
    ],
  } satisfies { [K in keyof Database]?: Insertable<Database[K]>[] };

  return { rows, ids: { sourceId, airports, flights, iata, name, origin, delay, flightDate, ontologyId, ruleId } };
}

export type CatalogRows = ReturnType<typeof catalogRows>['rows'];

/** Inserts the catalog, parents before children. */
export async function seedCatalog(store: Store) {
  const catalog = catalogRows();
  for (const [table, rows] of Object.entries(catalog.rows) as [keyof CatalogRows, object[]][]) {
    await store.db.insertInto(table).values(rows as never).execute();
  }
  return catalog;
}
