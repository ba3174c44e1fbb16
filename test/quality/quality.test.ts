/**
 * Quality rules, results and scores on real data (vega-datasets airports + flights, seattle
 * weather, movies) and on a generated table with planted anomalies.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOntology } from '../../config/ontology.ts';
import { openDuckDB, queryRows, quoteIdent, quoteLiteral, type DuckDBConnection } from '../../nodes/duckdb.ts';
import { semanticAnnotations } from '../../nodes/enrichment/semantic/semantic-annotations.ts';
import { relationships } from '../../nodes/enrichment/topology/relationships.ts';
import { temporalProfiles } from '../../nodes/enrichment/temporal/temporal-profiles.ts';
import type { Relationship, RelationshipsResult } from '../../nodes/enrichment/topology/types.ts';
import type { TypedSource } from '../../nodes/enrichment/types.ts';
import { qualityResults } from '../../nodes/quality/quality-results.ts';
import { trendOf } from '../../nodes/quality/trend.ts';
import { qualityRules } from '../../nodes/quality/quality-rules.ts';
import { qualityScores, SCORE_WEIGHTS } from '../../nodes/quality/quality-scores.ts';
import { moviesOntology, sourceOf, typedTable, vegaTable, VEGA_DIR } from './helpers.ts';

let conn: DuckDBConnection;
let flights: TypedSource;
let flightRels: RelationshipsResult;

beforeAll(async () => {
  conn = await openDuckDB(':memory:');
  flights = sourceOf('flights', await vegaTable(conn, 'airports', 'airports.csv'), await vegaTable(conn, 'flights', 'flights-airport.csv'));
  flightRels = await relationships(flights, conn);
});
afterAll(() => conn.closeSync());

/** A hand-written foreign key (the shape topology reports). */
function fk(fromTable: string, fromColumn: string, toTable: string, toColumn: string, confidence = 0.9): Relationship {
  return {
    key: `${fromTable}(${fromColumn})->${toTable}(${toColumn})`, relationshipType: 'foreign_key', fromTable, fromColumns: [fromColumn], toTable, toColumns: [toColumn],
    cardinality: 'many_to_one', confidence, detectionMethod: 'value_and_name',
    evidence: {
      containment: 0.9, childDistinct: 55, childNonNull: 400, childRows: 400, parentDistinct: 50, matchedDistinct: 50, parentCoverage: 1,
      nameScore: 1, nameRule: 'column=<table>_<key>', parentKeyness: 1, nameConfidence: 0.9, valueConfidence: 0.8, parentDense: true, penalties: [],
      childRange: ['1', '55'], parentRange: ['1', '50'],
    },
  };
}
const relsOf = (sourceName: string, ...rels: Relationship[]): RelationshipsResult => ({
  sourceName, relationships: rels, manyToMany: [], rejected: [],
  stats: { tables: 2, columns: 0, uniqueColumns: 0, compositeKeys: 0, candidatePairs: 0, prunedBeforeQuery: 0, measuredPairs: 0, queries: { columnStats: 0, compositeKeys: 0, containment: 0 } },
});

describe('qualityRules + qualityResults on airports and flights', () => {
  it('suggests key, domain, range, ontology and referential rules that the data supports, and runs them in one aggregate per table', async () => {
    const rules = await qualityRules(flights, conn, undefined, undefined, flightRels, loadOntology('base'));
    const byName = new Map(rules.rules.map((r) => [r.name, r]));
    expect(byName.get('airports.iata.unique')).toMatchObject({ type: 'unique', severity: 'error', columns: ['iata'], predicate: '"iata" IS NULL OR "iata" IN (SELECT "iata" FROM "typed_airports" WHERE "iata" IS NOT NULL GROUP BY ALL HAVING count(*) = 1)' });
    expect(byName.get('airports.iata.not_null')).toMatchObject({ type: 'not_null', predicate: '"iata" IS NOT NULL' });
    // The ontology's latitude rule replaces the fitted range.
    expect(byName.get('airports.latitude.range')).toMatchObject({ source: 'ontology', severity: 'error', predicate: '"latitude" IS NULL OR ("latitude" >= -90 AND "latitude" <= 90)' });
    expect(byName.get('airports.country.allowed_values')?.parameters.values).toContain('USA'); // 5 countries over 3376 airports: a stable domain
    expect(byName.get('flights.origin.referential_integrity')).toMatchObject({ source: 'relationship', dimension: 'consistency', parameters: expect.objectContaining({ to_table: 'airports', to_columns: ['iata'] }) });
    expect(byName.get('flights.destination.referential_integrity')).toBeDefined();
    expect(byName.get('flights.count.non_negative')).toMatchObject({ source: 'ontology', predicate: '"count" IS NULL OR "count" >= 0' }) // base's quantity concept;
    for (const r of rules.rules) expect(r.predicate).not.toMatch(/undefined|NaN/);

    const results = await qualityResults(rules, flights, conn);
    expect(results.queryCounts.airports).toEqual({ aggregate: 1, referential: 0, samples: 0 });
    expect(results.queryCounts.flights).toEqual({ aggregate: 1, referential: 2, samples: 0 });
    // Suggested from this very data, every rule holds on it.
    for (const r of results.results) expect(r, r.rule).toMatchObject({ failedRecords: 0, passRate: 1, passed: true, failureSamples: [] });
    const iata = results.results.find((r) => r.rule === 'airports.iata.unique');
    expect(iata).toMatchObject({ totalRecords: 3376, passedRecords: 3376, trend: null, previousPassRate: null });
  });
});

describe('movies.json: known quality problems', () => {
  it('fails the ontology rules the data breaks, with failing rows as samples', async () => {
    const movies = sourceOf('movies', await vegaTable(conn, 'movies', 'movies.json'));
    const rules = await qualityRules(movies, conn, undefined, undefined, undefined, moviesOntology());
    const results = await qualityResults(rules, movies, conn, undefined, 3);
    const get = (name: string) => results.results.find((r) => r.rule === name);
    const [nulls] = await queryRows<{ us: string; rt: string }>(conn, 'SELECT count(*) FILTER (WHERE "US Gross" IS NULL) AS us, count(*) FILTER (WHERE "Running Time min" IS NULL) AS rt FROM typed_movies');

    const gross = get('movies.US Gross.not_null');
    expect(gross).toMatchObject({ severity: 'error', failedRecords: Number(nulls!.us), passed: false });
    expect(gross!.failureSamples).toHaveLength(3);
    for (const row of gross!.failureSamples) expect(row['US Gross']).toBeNull();

    const running = get('movies.Running Time min.max_null_ratio');
    expect(running!.failedRecords).toBe(Number(nulls!.rt));
    expect(running!.passed).toBe(false); // most films have no running time
    expect(running!.passRate).toBeLessThan(0.8);

    const rating = get('movies.IMDB Rating.range');
    expect(rating!.failedRecords).toBeGreaterThan(0);
    for (const row of rating!.failureSamples) expect((row['IMDB Rating'] as number) < 1 || (row['IMDB Rating'] as number) > 9).toBe(true);

    const release = get('movies.Release Date.pattern');
    const [future] = await queryRows<{ n: string }>(conn, `SELECT count(*) AS n FROM typed_movies WHERE right("Release Date", 4)::INTEGER > 2010`);
    expect(release!.failedRecords).toBe(Number(future!.n)); // release years up to 2046
    expect(release!.failureSamples.length).toBe(3);
    for (const row of release!.failureSamples) expect(Number(String(row['Release Date']).slice(-4))).toBeGreaterThan(2010);

    // One aggregate for all rules, one query for all samples.
    expect(results.queryCounts.movies).toEqual({ aggregate: 1, referential: 0, samples: 1 });
  });
});

describe('a generated table with planted problems', () => {
  let source: TypedSource;
  beforeAll(async () => {
    const customers = await typedTable(conn, 'customers', `SELECT i::INTEGER AS customer_id, 'C' || i AS customer_name FROM range(1, 51) t(i)`);
    // 400 orders; customers 51..55 do not exist (orphans); 'EUR' everywhere; 4 absurd amounts; the first 6 rows repeated.
    const orders = await typedTable(conn, 'orders', `
      WITH base AS (
        SELECT i::INTEGER AS order_id, (1 + i % 55)::INTEGER AS customer_id, 'EUR' AS currency,
               CASE WHEN i IN (7, 77, 177, 277) THEN 250000.0 ELSE round(10 + (i * 37) % 90 + (i % 7) / 10.0, 2) END AS amount,
               ['open', 'paid', 'shipped'][1 + i % 3] AS status
        FROM range(1, 401) t(i))
      SELECT * FROM base UNION ALL SELECT * FROM base WHERE order_id <= 6`);
    source = sourceOf('shop', customers, orders);
  });

  it('finds duplicate rows, outliers, skew, constant columns and orphans, with evidence', async () => {
    const rels = relsOf('shop', fk('orders', 'customer_id', 'customers', 'customer_id'));
    const rules = await qualityRules(source, conn, undefined, undefined, rels);
    const results = await qualityResults(rules, source, conn);
    const scores = await qualityScores(results, source, conn);
    const kinds = (kind: string) => scores.anomalies.filter((a) => a.kind === kind);

    expect(kinds('duplicate_rows')).toEqual([expect.objectContaining({ table: 'orders', column: null, evidence: expect.objectContaining({ duplicateRows: 6, rows: 406 }) })]);
    expect(scores.tables.orders!.duplicateRows).toBe(6);
    expect(scores.tables.customers!.duplicateRows).toBe(0);

    const outliers = kinds('outliers').find((a) => a.column === 'amount');
    expect(outliers?.evidence).toMatchObject({ count: 4, max: 250000 });
    expect(kinds('skew').map((a) => a.column)).toContain('amount');
    expect(kinds('constant_column').map((a) => `${a.table}.${a.column}`)).toEqual(['orders.currency']);

    const orphans = kinds('orphans');
    expect(orphans).toHaveLength(1);
    const [orphanCount] = await queryRows<{ n: string }>(conn, 'SELECT count(*) AS n FROM typed_orders WHERE customer_id > 50');
    expect(orphans[0]!.evidence).toMatchObject({ orphanRows: Number(orphanCount!.n), rule: 'orders.customer_id.referential_integrity' });
    for (const row of orphans[0]!.evidence.samples as Record<string, number>[]) expect(row.customer_id).toBeGreaterThan(50);

    // Scores: orders loses consistency (orphans) and uniqueness (duplicates); customers is clean.
    const orders = scores.tables.orders!;
    expect(orders.consistency).toBeCloseTo(1 - Number(orphanCount!.n) / 406, 6);
    expect(orders.uniqueness).toBeLessThan(1);
    expect(orders.completeness).toBe(1);
    expect(scores.tables.customers).toMatchObject({ completeness: 1, uniqueness: 1, consistency: null, timeliness: null });
    expect(orders.columns.customer_id!.consistency).toBe(orders.consistency);
    // overall = weighted mean of the measured dimensions
    const dims = (['completeness', 'validity', 'consistency', 'uniqueness', 'timeliness'] as const).filter((d) => orders[d] !== null);
    const w = dims.reduce((a, d) => a + SCORE_WEIGHTS[d], 0);
    expect(orders.overall).toBeCloseTo(dims.reduce((a, d) => a + (orders[d] as number) * SCORE_WEIGHTS[d], 0) / w, 9);
    expect(orders.queryCount).toBe(2);
  });

  it('counts exactly the rows each predicate rejects in WHERE', async () => {
    const rels = relsOf('shop', fk('orders', 'customer_id', 'customers', 'customer_id'));
    const rules = await qualityRules(source, conn, undefined, undefined, rels);
    const results = await qualityResults(rules, source, conn);
    expect(results.results.some((r) => r.failedRecords > 0)).toBe(true);
    for (const rule of rules.rules) {
      const [row] = await queryRows<{ n: string }>(conn, `SELECT count(*) AS n FROM "typed_${rule.table}" WHERE NOT coalesce((${rule.predicate}), false)`);
      expect(results.results.find((r) => r.rule === rule.name)!.failedRecords, rule.name).toBe(Number(row!.n));
    }
  });

  it('reports the trend against the previous run', async () => {
    const rels = relsOf('shop', fk('orders', 'customer_id', 'customers', 'customer_id'));
    const rules = await qualityRules(source, conn, undefined, undefined, rels);
    const first = await qualityResults(rules, source, conn);
    const rule = 'orders.customer_id.referential_integrity';
    // Pretend the previous run was better for one rule and worse for another.
    const previous = { ...first, results: first.results.map((r) => (r.rule === rule ? { ...r, passRate: 1 } : r.rule === 'orders.amount.non_negative' ? { ...r, passRate: 0.5 } : r)) };
    const second = await qualityResults(rules, source, conn, previous);
    const get = (n: string) => second.results.find((r) => r.rule === n)!;
    expect(get(rule)).toMatchObject({ previousPassRate: 1, trend: 'down' });
    expect(get('orders.amount.non_negative')).toMatchObject({ previousPassRate: 0.5, trend: 'up' });
    expect(get('customers.customer_id.unique')).toMatchObject({ previousPassRate: 1, trend: 'stable' });
    expect(trendOf(0.9, 0.9005)).toBe('stable');
  });
});

describe('seattle weather: timeliness from temporal profiles', () => {
  it('scores timeliness from period completeness and recency, and every dimension stays in 0..1', async () => {
    const weather = sourceOf('weather', await vegaTable(conn, 'weather', 'seattle-weather.csv'));
    const temporal = await temporalProfiles(weather, conn);
    const rules = await qualityRules(weather, conn);
    expect(rules.rules.find((r) => r.name === 'weather.weather.allowed_values')?.parameters.values).toEqual(['drizzle', 'fog', 'rain', 'snow', 'sun']);
    const results = await qualityResults(rules, weather, conn);
    const scores = await qualityScores(results, weather, conn, undefined, temporal);
    const t = scores.tables.weather!;
    // Complete daily series (completeness 1) that ended in 2015: recency is low but not zero.
    expect(t.timeliness).toBeGreaterThan(0.5);
    expect(t.timeliness).toBeLessThan(1);
    expect(t.columns.date!.timeliness).toBe(t.timeliness);
    for (const s of [t, ...Object.values(t.columns)]) {
      for (const d of ['completeness', 'validity', 'consistency', 'uniqueness', 'timeliness', 'overall'] as const) {
        const v = s[d];
        if (v !== null) { expect(v).toBeGreaterThanOrEqual(0); expect(v).toBeLessThanOrEqual(1); }
      }
    }
  });
});

describe('patterns and composite keys', () => {
  let contacts: TypedSource;
  beforeAll(async () => {
    // 200 contacts; one e-mail address is broken, uuids and urls are all well-formed.
    contacts = sourceOf('crm', await typedTable(conn, 'contacts', `
      SELECT i::INTEGER AS contact_id,
             CASE WHEN i = 42 THEN 'jane.doe(at)example.com' ELSE 'user' || i || '@example.com' END AS email,
             uuid()::VARCHAR AS token, 'https://example.com/u/' || i AS homepage,
             (i % 20)::INTEGER AS team, (i // 20)::INTEGER AS seat
      FROM range(1, 201) t(i)`));
  });

  it('measures patterns in DuckDB when there is no profile, and flags the value that breaks the format', async () => {
    const rules = await qualityRules(contacts, conn);
    const pattern = (c: string) => rules.rules.find((r) => r.name === `contacts.${c}.pattern`);
    expect(pattern('email')?.parameters.pattern).toBe('email');
    expect(pattern('token')?.parameters.pattern).toBe('uuid');
    expect(pattern('homepage')?.parameters.pattern).toBe('url');
    expect(rules.queryCounts.contacts).toBe(2); // the aggregate and the pattern sample; no low-cardinality text column, so no domain query
    const results = await qualityResults(rules, contacts, conn);
    const email = results.results.find((r) => r.rule === 'contacts.email.pattern')!;
    expect(email).toMatchObject({ failedRecords: 1, passed: false, failureSamples: [expect.objectContaining({ contact_id: 42, email: 'jane.doe(at)example.com' })] });
    expect(results.results.find((r) => r.rule === 'contacts.token.pattern')).toMatchObject({ failedRecords: 0, passed: true });
  });

  it('takes patterns from the profile when given (and measures none itself)', async () => {
    const table = contacts.tables[0]!;
    const col = (column: string, position: number, patterns?: { pattern: string; matchRate: number; sampleSize: number }[]) => ({
      column, position, rawType: 'VARCHAR', totalCount: 200, nullCount: 0, nonNullCount: 200, distinctCount: 200, nullRatio: 0, cardinalityRatio: 1,
      minValue: null, maxValue: null, topValues: [], ...(patterns ? { patterns } : {}),
    });
    const profiling = {
      profiledAt: new Date().toISOString(),
      tables: { contacts: {
        table: 'contacts', rawTable: 'raw_contacts', rowCount: 200, queryCount: 3, durationMs: 1,
        columns: Object.fromEntries(table.columns.map((c, i) => [c.name, col(c.name, i, c.name === 'homepage' ? [{ pattern: 'url', matchRate: 1, sampleSize: 200 }] : c.name === 'email' ? [{ pattern: 'email', matchRate: 0.9, sampleSize: 200 }] : undefined)])),
      } },
    };
    const rules = await qualityRules(contacts, conn, profiling);
    const patterns = rules.rules.filter((r) => r.type === 'pattern').map((r) => r.name);
    expect(patterns).toEqual(['contacts.homepage.pattern']); // e-mail below the 98% bar in the profile; uuid not profiled
  });

  it('keeps a composite grain unique and samples the repeated key', async () => {
    const seats = await typedTable(conn, 'seats', `
      SELECT * FROM (SELECT (i % 20)::INTEGER AS team, (i // 20)::INTEGER AS seat, 'P' || i AS person FROM range(0, 200) t(i))
      UNION ALL SELECT 3, 4, 'intruder'`);
    const source = sourceOf('crm', seats);
    const annotations = {
      sourceName: 'crm', ontology: 'base', relationships: [], annotatedAt: new Date().toISOString(), columns: {},
      tables: { seats: { table: 'seats', typedTable: 'typed_seats', rowCount: 201, entityType: 'seat', description: 'seats', grainColumns: ['team', 'seat'], isFact: false, isDimension: true, primaryTimeColumn: null, confidence: 1, evidence: [], source: 'heuristic' as const } },
    };
    const rules = await qualityRules(source, conn, undefined, annotations);
    const grain = rules.rules.find((r) => r.name === 'seats.team+seat.unique')!;
    expect(grain).toMatchObject({ columns: ['team', 'seat'], source: 'semantic', severity: 'error' });
    const results = await qualityResults(rules, source, conn);
    const r = results.results.find((x) => x.rule === grain.name)!;
    expect(r.failedRecords).toBe(2); // both rows with the repeated key
    expect(r.failureSamples.map((s) => s.person).sort()).toEqual(['P83', 'intruder']);
    // The predicate itself is valid DuckDB in WHERE and agrees with the aggregate.
    const [n] = await queryRows<{ n: string }>(conn, `SELECT count(*) AS n FROM typed_seats WHERE NOT (${grain.predicate})`);
    expect(Number(n!.n)).toBe(2);
  });
});

describe('outlier fences in exact decimals', () => {
  it('seattle weather: a wind of exactly 6.7 (the upper fence) is no outlier, and every count matches the fences it reports', async () => {
    const weather = sourceOf('weather', await vegaTable(conn, 'weather', 'seattle-weather.csv'));
    const scores = await qualityScores(await qualityResults(await qualityRules(weather, conn), weather, conn), weather, conn);
    const wind = scores.anomalies.find((a) => a.kind === 'outliers' && a.column === 'wind')!;
    // Q1 2.2 and Q3 4: the fences are -0.5 and 6.7 (in doubles 4 + 1.5 * 1.8 is 6.699999999999999).
    expect(wind.evidence).toMatchObject({ q1: 2.2, q3: 4, lowFence: -0.5, highFence: 6.7 });
    const [ref] = await queryRows<{ above: string; on: string }>(conn, 'SELECT count(*) FILTER (WHERE wind > 6.7) AS above, count(*) FILTER (WHERE wind = 6.7) AS "on" FROM typed_weather');
    expect(Number(ref!.on)).toBe(4);
    expect(wind.evidence.count).toBe(Number(ref!.above));
    expect(wind.message).toBe(`${ref!.above} of 1461 values of wind lie outside the IQR fences [-0.5, 6.7]`);
    const outliers = scores.anomalies.filter((a) => a.kind === 'outliers');
    expect(outliers.length).toBeGreaterThan(1);
    for (const a of outliers) {
      const c = quoteIdent(a.column!);
      const [n] = await queryRows<{ n: string }>(conn, `SELECT count(*) AS n FROM typed_weather WHERE ${c} < ? OR ${c} > ?`, [a.evidence.lowFence as number, a.evidence.highFence as number]);
      expect(a.evidence.count, a.column!).toBe(Number(n!.n));
    }
  });
});

describe('per-cent rules on the column\'s scale', () => {
  it('species: shares stored as fractions get the percentage rule as 0..1, so a share written x100 fails it', async () => {
    const species = sourceOf('species', await vegaTable(conn, 'species', 'species.csv'));
    const [range] = await queryRows<{ lo: number; hi: number }>(conn, 'SELECT min(habitat_yearround_pct) AS lo, max(habitat_yearround_pct) AS hi FROM typed_species');
    expect([range!.lo, range!.hi]).toEqual([0, 0.9996]);
    const rules = await qualityRules(species, conn, undefined, undefined, undefined, loadOntology('base'));
    const pct = rules.rules.find((r) => r.name === 'species.habitat_yearround_pct.range')!;
    expect(pct).toMatchObject({
      source: 'ontology', parameters: { concept: 'percentage', min: 0, max: 1, scale: 'fraction' },
      predicate: '"habitat_yearround_pct" IS NULL OR ("habitat_yearround_pct" >= 0 AND "habitat_yearround_pct" <= 1)',
    });
    expect(pct.description).toMatch(/fractions/);
    // The next load writes one share as a per cent by mistake: the rule catches that row.
    await conn.run('UPDATE typed_species SET habitat_yearround_pct = habitat_yearround_pct * 100 WHERE habitat_yearround_pct = 0.9996');
    const [changed] = await queryRows<{ n: string }>(conn, 'SELECT count(*) AS n FROM typed_species WHERE habitat_yearround_pct > 1');
    const results = await qualityResults(rules, species, conn);
    expect(results.results.find((r) => r.rule === pct.name)).toMatchObject({ failedRecords: Number(changed!.n), passed: false });
    expect(Number(changed!.n)).toBeGreaterThan(0);
  });

  it('species as per cents (0..100): the ontology\'s 0..100 stays', async () => {
    const species = sourceOf('species', await typedTable(conn, 'species_pc', `SELECT county_id, habitat_yearround_pct * 100 AS habitat_yearround_pct FROM read_csv(${quoteLiteral(`${VEGA_DIR}species.csv`)})`));
    const rules = await qualityRules(species, conn, undefined, undefined, undefined, loadOntology('base'));
    const pct = rules.rules.find((r) => r.name === 'species_pc.habitat_yearround_pct.range')!;
    expect(pct).toMatchObject({ source: 'ontology', parameters: { concept: 'percentage', min: 0, max: 100 } });
    expect(pct.parameters.scale).toBeUndefined();
  });
});

describe('no distribution anomalies on identifiers', () => {
  it('budget.json: agency and bureau codes (id-like integer names) get no outlier or skew anomaly', async () => {
    const budget = sourceOf('budget', await vegaTable(conn, 'budget', 'budget.json'));
    // By Tukey's fences and skewness alone both codes would be flagged.
    const [ref] = await queryRows<{ agency: string; bureau_skew: number }>(conn, `
      WITH q AS (SELECT quantile_cont("Agency code", 0.25) AS q1, quantile_cont("Agency code", 0.75) AS q3 FROM typed_budget)
      SELECT (SELECT count(*) FROM typed_budget, q WHERE "Agency code" < q1 - 1.5 * (q3 - q1) OR "Agency code" > q3 + 1.5 * (q3 - q1)) AS agency,
             (SELECT skewness("Bureau code") FROM typed_budget) AS bureau_skew`);
    expect(Number(ref!.agency)).toBeGreaterThan(0);
    expect(ref!.bureau_skew).toBeGreaterThan(2);
    const scores = await qualityScores(await qualityResults(await qualityRules(budget, conn), budget, conn), budget, conn);
    const flagged = scores.anomalies.filter((a) => a.kind === 'outliers' || a.kind === 'skew').map((a) => a.column);
    expect(flagged).not.toContain('Agency code');
    expect(flagged).not.toContain('Bureau code');
  });

  it('a foreign key named like a measure: skipped by its semantic role or by its referential rule, flagged with neither', async () => {
    // 60 customers, ten of them added late with ids from 9001; every 20th order is theirs. `buyer`
    // is a DOUBLE, so no name or type marks it as an id; 4 amounts are absurd.
    const customers = await typedTable(conn, 'customers2', `SELECT i::INTEGER AS customer_id, 'C' || i AS customer_name FROM (SELECT range AS i FROM range(1, 51) UNION ALL SELECT range FROM range(9001, 9011))`);
    const orders = await typedTable(conn, 'orders2', `
      SELECT i::INTEGER AS order_id, CAST(CASE WHEN i % 20 = 0 THEN 9001 + i % 10 ELSE 1 + i % 50 END AS DOUBLE) AS buyer,
             CASE WHEN i IN (7, 77, 177, 277) THEN 250000.0 ELSE round(10 + (i * 37) % 90, 2) END AS amount
      FROM range(1, 401) t(i)`);
    const source = sourceOf('shop', customers, orders);
    const rels = await relationships(source, conn);
    expect(rels.relationships.map((r) => r.key)).toEqual(['orders2(buyer)->customers2(customer_id)']);
    const annotations = await semanticAnnotations(source, conn, loadOntology('base'), undefined, rels);
    expect(annotations.columns.orders2!.buyer!.role).toBe('foreign_key');
    const flagged = (s: Awaited<ReturnType<typeof qualityScores>>) => s.anomalies.filter((a) => a.kind === 'outliers' || a.kind === 'skew').map((a) => `${a.kind}:${a.column}`).sort();

    const plain = await qualityRules(source, conn);
    const neither = await qualityScores(await qualityResults(plain, source, conn), source, conn);
    expect(flagged(neither)).toEqual(['outliers:amount', 'outliers:buyer', 'skew:amount', 'skew:buyer']);
    const byRole = await qualityScores(await qualityResults(plain, source, conn), source, conn, undefined, undefined, annotations);
    expect(flagged(byRole)).toEqual(['outliers:amount', 'skew:amount']);
    const withFk = await qualityRules(source, conn, undefined, undefined, rels);
    const byRule = await qualityScores(await qualityResults(withFk, source, conn), source, conn);
    expect(flagged(byRule)).toEqual(['outliers:amount', 'skew:amount']);
    // The column keeps its other scores.
    expect(byRule.tables.orders2!.columns.buyer).toMatchObject({ completeness: 1, consistency: 1 });
  });
});
