/**
 * The whole ingest against both metadata stores: the same run on SQLite and on a real PostgreSQL
 * records the same catalog, profiles, candidates, decisions, relationships and quality rows, and
 * re-running adds nothing.
 */
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openRuntime } from '../../cli/runtime.ts';
import { registerSource, runDataflow } from '../../cli/runs.ts';
import { parseSourceConfig, sourceConfigFromPath } from '../../nodes/staging/source-config.ts';
import type { Store } from '../../store/index.ts';
import { createTarget, DIALECTS } from '../store/helpers.ts';

const DATA = join(dirname(createRequire(import.meta.url).resolve('vega-datasets')), '..', 'data');
const TABLES = ['sources', 'tables', 'columns', 'column_profiles', 'type_candidates', 'type_decisions', 'type_resolutions', 'semantic_annotations', 'table_entities', 'relationships', 'join_paths', 'temporal_profiles', 'quality_rules', 'quality_results', 'quality_scores'];

async function counts(store: Store): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of TABLES) {
    const r = await sql<{ n: number | string }>`SELECT count(*) AS n FROM ${sql.table(t)}`.execute(store.db);
    out[t] = Number(r.rows[0].n);
  }
  return out;
}

describe('ingest on both metadata stores', () => {
  const results = new Map<string, Record<string, number>>();
  for (const dialect of DIALECTS) {
    it(`records the same metadata on ${dialect}, and a re-run adds nothing`, async () => {
      const dir = mkdtempSync(join(tmpdir(), `dataraum-both-${dialect}-`));
      const folder = join(dir, 'vega');
      mkdirSync(folder);
      for (const f of ['airports.csv', 'flights-airport.csv', 'seattle-weather.csv']) copyFileSync(join(DATA, f), join(folder, f));
      // SQLite lives under the runtime's home; PostgreSQL gets a fresh database on the test server.
      const target = dialect === 'postgres' ? await createTarget('postgres', { empty: true }) : undefined;
      const url = target && 'url' in target.options ? target.options.url : undefined;
      const runtime = await openRuntime({ home: join(dir, 'home'), ...(url ? { databaseUrl: url } : {}) });
      try {
        expect(runtime.store.dialect).toBe(dialect);
        const source = parseSourceConfig(sourceConfigFromPath(folder));
        const row = await registerSource(runtime, source);
        const first = await runDataflow(runtime, { source, sourceId: row.sourceId });
        expect(first.status).toBe('completed');
        const after = await counts(runtime.store);
        for (const t of TABLES) expect(after[t], t).toBeGreaterThan(0);
        // Each column's resolution result: seattle-weather's precipitation converts whole.
        const [precipitation] = await runtime.store.db.selectFrom('typeResolutions as r')
          .innerJoin('columns as c', 'c.columnId', 'r.columnId').innerJoin('tables as t', 't.tableId', 'c.tableId')
          .select(['r.decidedType', 'r.resolvedType', 'r.successCount', 'r.failureCount', 'r.nullCount', 'r.successRate', 'r.sampleFailures'])
          .where('t.tableName', '=', 'seattle_weather').where('t.layer', '=', 'raw').where('c.columnName', '=', 'precipitation').execute();
        expect(precipitation).toMatchObject({ decidedType: 'DOUBLE', resolvedType: 'DOUBLE', successRate: 1, sampleFailures: [] });
        expect([precipitation.successCount, precipitation.failureCount, precipitation.nullCount].map(Number)).toEqual([1461, 0, 0]);
        // Candidates keep the format they were measured with.
        const dates = await runtime.store.db.selectFrom('typeCandidates as k')
          .innerJoin('columns as c', 'c.columnId', 'k.columnId').innerJoin('tables as t', 't.tableId', 'c.tableId')
          .select(['k.dataType', 'k.format']).where('t.tableName', '=', 'seattle_weather').where('c.columnName', '=', 'date').execute();
        expect(dates).toContainEqual({ dataType: 'DATE', format: { kind: 'date', strptime: '%Y-%m-%d' } });
        // Cached and uncached re-runs replace rows; they never add duplicates.
        expect((await runDataflow(runtime, { source, sourceId: row.sourceId })).status).toBe('completed');
        expect((await runDataflow(runtime, { source, sourceId: row.sourceId, cache: false })).status).toBe('completed');
        const again = await counts(runtime.store);
        // Versioned history grows by design: one profiling, resolution and quality pass per uncached run.
        const { column_profiles: p1, type_resolutions: t1, quality_results: r1, quality_scores: s1, ...stable1 } = after;
        const { column_profiles: p2, type_resolutions: t2, quality_results: r2, quality_scores: s2, ...stable2 } = again;
        expect(stable2).toEqual(stable1);
        expect([p2, t2, r2, s2]).toEqual([p1 * 2, t1 * 2, r1 * 2, s1 * 2]);
        results.set(dialect, after);
      } finally {
        await runtime.close();
        await target?.destroy();
      }
    }, 180_000);
  }

  it('matches across the two databases', () => {
    expect([...results.keys()].sort()).toEqual(['postgres', 'sqlite']);
    expect(results.get('postgres')).toEqual(results.get('sqlite'));
  });
});
