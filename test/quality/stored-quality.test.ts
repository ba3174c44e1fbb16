/**
 * Persistence of quality rules, results and scores on a real SQLite file and a fresh PostgreSQL
 * database: generated rules upserted by name, stale ones deactivated, human rules untouched,
 * previous pass rate and trend from the stored history, idempotent replays.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDuckDB, type DuckDBConnection } from '../../nodes/duckdb.ts';
import type { TypedSource } from '../../nodes/enrichment/types.ts';
import { qualityResults } from '../../nodes/quality/quality-results.ts';
import { qualityRules } from '../../nodes/quality/quality-rules.ts';
import { qualityScores } from '../../nodes/quality/quality-scores.ts';
import { QUALITY_GENERATOR, storedQuality } from '../../nodes/quality/stored-quality.ts';
import type { QualityResults, QualityRules, QualityScores } from '../../nodes/quality/types.ts';
import type { Store } from '../../store/index.ts';
import { DIALECTS, storeLifecycle } from '../store/helpers.ts';
import { sourceOf, vegaTable } from './helpers.ts';

let conn: DuckDBConnection;
let source: TypedSource;
let rules: QualityRules;
let results: QualityResults;
let scores: QualityScores;

beforeAll(async () => {
  conn = await openDuckDB(':memory:');
  source = sourceOf('weather', await vegaTable(conn, 'weather', 'seattle-weather.csv'));
  rules = await qualityRules(source, conn);
  results = await qualityResults(rules, source, conn);
  scores = await qualityScores(results, source, conn);
});
afterAll(() => conn.closeSync());

/** Records the typed tables and columns in the catalog, as type resolution would; ids are looked up by name. */
async function catalogue(store: Store, src: TypedSource): Promise<Map<string, string>> {
  const sourceId = crypto.randomUUID();
  await store.db.insertInto('sources').values({ sourceId, name: src.sourceName, sourceType: 'csv', connectionConfig: {} }).execute();
  const ids = new Map<string, string>();
  for (const t of src.tables) {
    const tableId = crypto.randomUUID();
    ids.set(t.name, tableId);
    await store.db.insertInto('tables').values({ tableId, sourceId, tableName: t.name, layer: 'typed', duckdbPath: null, rowCount: t.rowCount }).execute();
    await store.db.insertInto('columns').values(t.columns.map((c) => ({ columnId: crypto.randomUUID(), tableId, columnName: c.name, originalName: c.originalName, columnPosition: c.position, rawType: null, resolvedType: c.type }))).execute();
  }
  return ids;
}

for (const dialect of DIALECTS) {
  describe(`storedQuality on ${dialect}`, () => {
    const { ctx, setUp, tearDown } = storeLifecycle(dialect);
    beforeEach(setUp);
    afterEach(tearDown);

    it('stores rules, results and scores; replays add nothing; later runs deactivate stale rules and record the trend', async () => {
      const { store } = ctx;
      const tableId = (await catalogue(store, source)).get('weather')!;
      const manualId = crypto.randomUUID();
      await store.db.insertInto('qualityRules').values({ ruleId: manualId, tableId, columnId: null, ruleName: 'wind below 50', ruleType: 'range', ruleExpression: '"wind" < 50', ruleParameters: null, severity: 'warning', source: 'manual', description: 'by hand', createdBy: 'alice' }).execute();

      const first = await storedQuality(rules, results, scores, source, store);
      const columnScores = source.tables[0]!.columns.length + 1;
      expect(first).toEqual({ rules: rules.rules.length, deactivated: 0, results: results.results.length, scores: columnScores, warnings: [] });
      const stored = await store.db.selectFrom('qualityRules').selectAll().where('createdBy', '=', QUALITY_GENERATOR).execute();
      expect(stored).toHaveLength(rules.rules.length);
      const allowed = stored.find((r) => r.ruleName === 'weather.weather.allowed_values')!;
      expect(allowed).toMatchObject({ ruleType: 'allowed_values', isActive: true, source: 'profile', severity: 'warning' });
      expect(allowed.ruleParameters).toMatchObject({ values: ['drizzle', 'fog', 'rain', 'snow', 'sun'], columns: ['weather'], dimension: 'validity' });
      expect(allowed.columnId).not.toBeNull();
      const tableScore = await store.db.selectFrom('qualityScores').selectAll().where('tableId', '=', tableId).where('columnId', 'is', null).executeTakeFirstOrThrow();
      expect(tableScore.overallScore).toBeCloseTo(scores.tables.weather!.overall!, 9);

      // Replaying the same run (a cache hit upstream) changes nothing.
      const replay = await storedQuality(rules, results, scores, source, store);
      expect(replay).toMatchObject({ rules: rules.rules.length, deactivated: 0, results: 0, scores: 0 });
      expect(await store.db.selectFrom('qualityResults').select('resultId').execute()).toHaveLength(results.results.length);

      // A later run: one rule is no longer suggested, another now fails on some rows.
      const dropped = 'weather.weather.allowed_values';
      const rangeRule = 'weather.wind.range';
      const later: QualityRules = { ...rules, rules: rules.rules.filter((r) => r.name !== dropped) };
      const laterResults: QualityResults = {
        ...results, executedAt: new Date(Date.parse(results.executedAt) + 60_000).toISOString(),
        results: results.results.filter((r) => r.rule !== dropped).map((r) => (r.rule === rangeRule ? { ...r, failedRecords: 10, passedRecords: r.totalRecords - 10, passRate: (r.totalRecords - 10) / r.totalRecords, passed: false } : r)),
      };
      const laterScores: QualityScores = { ...scores, computedAt: laterResults.executedAt };
      const second = await storedQuality(later, laterResults, laterScores, source, store);
      expect(second).toMatchObject({ rules: later.rules.length, deactivated: 1, results: later.rules.length, scores: columnScores });
      expect(await store.db.selectFrom('qualityRules').select(['isActive']).where('ruleName', '=', dropped).executeTakeFirstOrThrow()).toEqual({ isActive: false });
      expect(await store.db.selectFrom('qualityRules').select(['isActive', 'createdBy']).where('ruleId', '=', manualId).executeTakeFirstOrThrow()).toEqual({ isActive: true, createdBy: 'alice' });
      // History of the dropped rule is kept.
      expect(await store.db.selectFrom('qualityResults').innerJoin('qualityRules', 'qualityRules.ruleId', 'qualityResults.ruleId').select('resultId').where('ruleName', '=', dropped).execute()).toHaveLength(1);

      const latest = await store.db.selectFrom('qualityResults').innerJoin('qualityRules', 'qualityRules.ruleId', 'qualityResults.ruleId')
        .select(['passRate', 'previousPassRate', 'trendDirection', 'failedRecords']).where('ruleName', '=', rangeRule).orderBy('executedAt', 'desc').executeTakeFirstOrThrow();
      expect(latest).toMatchObject({ previousPassRate: 1, trendDirection: 'down', failedRecords: 10 });
      const stable = await store.db.selectFrom('qualityResults').innerJoin('qualityRules', 'qualityRules.ruleId', 'qualityResults.ruleId')
        .select(['previousPassRate', 'trendDirection']).where('ruleName', '=', 'weather.date.not_null').orderBy('executedAt', 'desc').executeTakeFirstOrThrow();
      expect(stable).toEqual({ previousPassRate: 1, trendDirection: 'stable' });
    });

    it('warns instead of failing when the catalog does not know a table', async () => {
      const out = await storedQuality(rules, results, scores, source, ctx.store);
      expect(out).toMatchObject({ rules: 0, results: 0, scores: 0 });
      expect(out.warnings[0]).toMatch(/table 'weather' of source 'weather' is not in the metadata store/);
    });
  });
}
