/**
 * Records quality rules, results and scores in the metadata store, in one transaction. Rules the
 * generator wrote earlier and no longer suggests are deactivated (never deleted: their results
 * keep their history); rules a person or another tool created are left alone. Results and scores
 * are keyed by their execution / computation time, so replaying the same run adds nothing.
 */
import type { Kysely } from 'kysely';
import type { Database, JsonObject, StoreContext } from '../../store/index.ts';
import type { TypedSource } from '../enrichment/types.ts';
import { trendOf } from './trend.ts';
import type { QualityResults, QualityRules, QualityScores, StoredQuality } from './types.ts';

/** `created_by` of the rules this module generates; only these are updated or deactivated. */
export const QUALITY_GENERATOR = 'dataraum:quality';

const json = (v: unknown) => JSON.parse(JSON.stringify(v)) as JsonObject;

/**
 * Quality rules, results (with previous pass rate and trend) and scores, written to
 * quality_rules, quality_results and quality_scores (one transaction).
 * @tag module=quality
 * @cache disable
 *
 * @example
 * ```ts
 * const stored = await storedQuality(rules, results, scores, typedSource, store);
 * stored.deactivated; // generated rules that no longer hold a place in the suggestion
 * ```
 */
export async function storedQuality(
  qualityRules: QualityRules,
  qualityResults: QualityResults,
  qualityScores: QualityScores,
  typedSource: TypedSource,
  store: StoreContext,
): Promise<StoredQuality> {
  return store.db.transaction().execute(async (db) => {
    const warnings: string[] = [];
    const ids = await resolveIds(db, typedSource, warnings);
    let rulesWritten = 0;
    let deactivated = 0;
    let resultsWritten = 0;
    let scoresWritten = 0;
    const ruleIds = new Map<string, string>();

    const tableIds = [...ids.values()].map((t) => t.tableId);
    const existing = tableIds.length
      ? await db.selectFrom('qualityRules').select(['ruleId', 'ruleName', 'tableId', 'isActive'])
        .where('tableId', 'in', tableIds).where('createdBy', '=', QUALITY_GENERATOR).execute()
      : [];
    const byKey = new Map(existing.map((r) => [`${r.tableId}\u0000${r.ruleName}`, r]));
    const current = new Set<string>();
    for (const rule of qualityRules.rules) {
      const t = ids.get(rule.table);
      if (!t) continue;
      const columnId = rule.columns.length ? t.columns.get(rule.columns[0]!) ?? null : null;
      const values = {
        columnId, ruleType: rule.type, ruleExpression: rule.predicate,
        ruleParameters: json({ ...rule.parameters, columns: rule.columns, typed_table: rule.typedTable, tolerance: rule.tolerance, dimension: rule.dimension }),
        severity: rule.severity, source: rule.source, description: rule.description, isActive: true,
      };
      const key = `${t.tableId}\u0000${rule.name}`;
      current.add(key);
      const found = byKey.get(key);
      if (found) {
        await db.updateTable('qualityRules').set(values).where('ruleId', '=', found.ruleId).execute();
        ruleIds.set(rule.name, found.ruleId);
      } else {
        const ruleId = crypto.randomUUID();
        await db.insertInto('qualityRules').values({ ruleId, tableId: t.tableId, ruleName: rule.name, createdBy: QUALITY_GENERATOR, ...values }).execute();
        ruleIds.set(rule.name, ruleId);
      }
      rulesWritten++;
    }
    const stale = existing.filter((r) => r.isActive && !current.has(`${r.tableId}\u0000${r.ruleName}`)).map((r) => r.ruleId);
    if (stale.length) {
      await db.updateTable('qualityRules').set({ isActive: false }).where('ruleId', 'in', stale).execute();
      deactivated = stale.length;
    }

    const executedAt = new Date(qualityResults.executedAt).toISOString();
    const withIds = qualityResults.results.flatMap((r) => { const ruleId = ruleIds.get(r.rule); return ruleId ? [{ r, ruleId }] : []; });
    const resultRuleIds = withIds.map((x) => x.ruleId);
    const done = new Set<string>();
    const previousRate = new Map<string, number | null>();
    for (let k = 0; k < resultRuleIds.length; k += 500) {
      const chunk = resultRuleIds.slice(k, k + 500);
      for (const row of await db.selectFrom('qualityResults').select('ruleId').where('ruleId', 'in', chunk).where('executedAt', '=', executedAt).execute()) done.add(row.ruleId);
      // The latest earlier result of each rule: its pass rate is this run's previous one.
      const latest = db.selectFrom('qualityResults').select(['ruleId', (eb) => eb.fn.max('executedAt').as('lastAt')])
        .where('ruleId', 'in', chunk).where('executedAt', '<', executedAt).groupBy('ruleId').as('latest');
      const rows = await db.selectFrom('qualityResults').innerJoin(latest, (j) => j.onRef('latest.ruleId', '=', 'qualityResults.ruleId').onRef('latest.lastAt', '=', 'qualityResults.executedAt'))
        .select(['qualityResults.ruleId', 'qualityResults.passRate']).execute();
      for (const row of rows) previousRate.set(row.ruleId, row.passRate);
    }
    const fresh = withIds.filter((x) => !done.has(x.ruleId)).map(({ r, ruleId }) => {
      const previous = r.previousPassRate ?? previousRate.get(ruleId) ?? null;
      return {
        resultId: crypto.randomUUID(), ruleId, executedAt, totalRecords: r.totalRecords, passedRecords: r.passedRecords,
        failedRecords: r.failedRecords, passRate: r.passRate, failureSamples: json(r.failureSamples),
        previousPassRate: previous, trendDirection: previous === null ? null : trendOf(previous, r.passRate),
      };
    });
    for (let k = 0; k < fresh.length; k += 200) await db.insertInto('qualityResults').values(fresh.slice(k, k + 200)).execute();
    resultsWritten = fresh.length;

    const computedAt = new Date(qualityScores.computedAt).toISOString();
    for (const [name, tq] of Object.entries(qualityScores.tables)) {
      const t = ids.get(name);
      if (!t) continue;
      const already = await db.selectFrom('qualityScores').select('scoreId').where('tableId', '=', t.tableId).where('computedAt', '=', computedAt).executeTakeFirst();
      if (already) continue;
      const score = (s: { completeness: number | null; validity: number | null; consistency: number | null; uniqueness: number | null; timeliness: number | null; overall: number | null }) => ({
        completenessScore: s.completeness, validityScore: s.validity, consistencyScore: s.consistency,
        uniquenessScore: s.uniqueness, timelinessScore: s.timeliness, overallScore: s.overall,
      });
      const rows = [
        { scoreId: crypto.randomUUID(), tableId: t.tableId, columnId: null, computedAt, ...score(tq) },
        ...Object.values(tq.columns).flatMap((c) => {
          const columnId = t.columns.get(c.column);
          return columnId ? [{ scoreId: crypto.randomUUID(), tableId: t.tableId, columnId, computedAt, ...score(c) }] : [];
        }),
      ];
      for (let k = 0; k < rows.length; k += 200) await db.insertInto('qualityScores').values(rows.slice(k, k + 200)).execute();
      scoresWritten += rows.length;
    }
    return { rules: rulesWritten, deactivated, results: resultsWritten, scores: scoresWritten, warnings };
  });
}

interface Ids { readonly tableId: string; readonly columns: ReadonlyMap<string, string> }

/** Store ids of the typed tables and columns: from the typed source, else looked up by name (typed layer first, then raw). */
async function resolveIds(db: Kysely<Database>, typedSource: TypedSource, warnings: string[]): Promise<Map<string, Ids>> {
  const out = new Map<string, Ids>();
  for (const table of typedSource.tables) {
    let tableId = table.tableId;
    if (!tableId) {
      const rows = await db.selectFrom('tables').innerJoin('sources', 'sources.sourceId', 'tables.sourceId')
        .select(['tables.tableId', 'tables.layer'])
        .where('sources.name', '=', typedSource.sourceName).where('tables.tableName', '=', table.name).where('tables.layer', 'in', ['typed', 'raw']).execute();
      tableId = (rows.find((r) => r.layer === 'typed') ?? rows[0])?.tableId;
    }
    if (!tableId) {
      warnings.push(`table '${table.name}' of source '${typedSource.sourceName}' is not in the metadata store (record the catalog first, or pass tableId): its rules, results and scores were not stored`);
      continue;
    }
    const columns = new Map<string, string>();
    for (const c of table.columns) if (c.columnId) columns.set(c.name, c.columnId);
    const missing = table.columns.filter((c) => !c.columnId).map((c) => c.name);
    if (missing.length) {
      const rows = await db.selectFrom('columns').select(['columnId', 'columnName']).where('tableId', '=', tableId).where('columnName', 'in', missing).execute();
      for (const r of rows) columns.set(r.columnName, r.columnId);
      const unknown = missing.filter((m) => !columns.has(m));
      if (unknown.length) warnings.push(`columns ${unknown.map((u) => `'${u}'`).join(', ')} of table '${table.name}' have no store id: their rules are stored at table level and their scores skipped`);
    }
    out.set(table.name, { tableId, columns });
  }
  return out;
}
