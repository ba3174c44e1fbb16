/**
 * Semantic facts on real vega-datasets that once came out wrong: concepts matched by a loose name,
 * one column per concept, names and labels as a table's grain, foreign keys with nothing to refer
 * to, and the categories of small tables.
 */
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import { loadOntology } from '../../config/ontology.ts';
import { openDuckDB, queryRows, type DuckDBConnection } from '../../nodes/duckdb.ts';
import { getMetrics } from '../../nodes/enrichment/semantic/metrics.ts';
import { humanize } from '../../nodes/enrichment/semantic/names.ts';
import { storedOntology } from '../../nodes/enrichment/semantic/ontology.ts';
import { ontologyMetrics, storedOntologyApplications } from '../../nodes/enrichment/semantic/ontology-metrics.ts';
import { semanticAnnotations } from '../../nodes/enrichment/semantic/semantic-annotations.ts';
import type { SemanticAnnotations } from '../../nodes/enrichment/semantic/types.ts';
import type { TypedSource, TypedTable } from '../../nodes/enrichment/types.ts';
import type { Store } from '../../store/index.ts';
import { storeLifecycle } from '../store/helpers.ts';
import { sourceOf, typedTable, VEGA_DIR } from './helpers.ts';

const base = loadOntology('base');
let conn: DuckDBConnection;
let movies: TypedTable;
let unemployment: TypedTable;
let flights: TypedTable;
let zipcodes: TypedTable;
let riots: TypedTable;
let iowa: TypedTable;
let stocks: TypedTable;
let species: TypedTable;
let gapminder: TypedTable;
let cars: TypedTable;
/** Every table above, annotated together without relationships (what the ingest run does). */
let a: SemanticAnnotations;

beforeAll(async () => {
  conn = await openDuckDB(':memory:');
  movies = await typedTable(conn, 'movies', `SELECT * FROM read_json('${VEGA_DIR}movies.json')`);
  unemployment = await typedTable(conn, 'unemployment_across_industries', `SELECT * FROM read_json('${VEGA_DIR}unemployment-across-industries.json')`);
  flights = await typedTable(conn, 'flights_airport', `SELECT * FROM read_csv('${VEGA_DIR}flights-airport.csv')`);
  zipcodes = await typedTable(conn, 'zipcodes', `SELECT * FROM read_csv('${VEGA_DIR}zipcodes.csv', types = {'zip_code': 'VARCHAR'})`);
  riots = await typedTable(conn, 'la_riots', `SELECT * FROM read_csv('${VEGA_DIR}la-riots.csv')`);
  iowa = await typedTable(conn, 'iowa_electricity', `SELECT * FROM read_csv('${VEGA_DIR}iowa-electricity.csv')`);
  // What type resolution makes of stocks.csv's 'Jan 1 2000' dates.
  stocks = await typedTable(conn, 'stocks', `SELECT symbol, strptime(date, '%b %-d %Y')::DATE AS date, price FROM read_csv('${VEGA_DIR}stocks.csv', all_varchar = true, types = {'price': 'DOUBLE'})`);
  species = await typedTable(conn, 'species', `SELECT * FROM read_csv('${VEGA_DIR}species.csv', types = {'county_id': 'VARCHAR'})`);
  gapminder = await typedTable(conn, 'gapminder_health_income', `SELECT * FROM read_csv('${VEGA_DIR}gapminder-health-income.csv')`);
  cars = await typedTable(conn, 'cars', `SELECT * FROM read_json('${VEGA_DIR}cars.json')`);
  a = await semanticAnnotations(sourceOf('vega', movies, unemployment, flights, zipcodes, riots, iowa, stocks, species, gapminder, cars), conn, base);
});
afterAll(() => conn?.closeSync());

const col = (table: string, column: string) => a.columns[table]![column]!;

describe('concepts come from what a name means, not a loose word', () => {
  it('a rate is no price: no unit price concept, no average_price metric in currency', () => {
    expect(col('unemployment_across_industries', 'rate')).toMatchObject({ role: 'measure', ontologyTerm: null });
    const m = ontologyMetrics(base, sourceOf('vega', unemployment), a);
    expect(m.conceptColumns.unemployment_across_industries!.price).toBeUndefined();
    expect(m.metrics.map((x) => x.ontologyMetric)).not.toContain('average_price');
    expect(m.metrics.map((x) => x.metric)).toEqual(expect.arrayContaining(['total_quantity', 'time_span_days']));
    // A concept with one column keeps the ontology's metric name and description.
    expect(m.metrics.find((x) => x.metric === 'total_quantity')).toMatchObject({ ontologyMetric: 'total_quantity', description: 'Sum of all quantities.' });
  });

  it('origin and destination airport codes are treated alike: dimensions, no country', () => {
    for (const c of ['origin', 'destination']) {
      expect(col('flights_airport', c), c).toMatchObject({ role: 'dimension', ontologyTerm: null, entityType: 'code' });
      expect(col('flights_airport', c).evidence.map((e) => e.detail).join('; ')).toMatch(/short codes \(max length 3\) repeated on 17 rows each/);
    }
    expect(a.tables.flights_airport).toMatchObject({ grainColumns: ['origin', 'destination'], isFact: true });
    // cars' Origin (USA, Europe, Japan) is no country concept either, still a grouping.
    expect(col('cars', 'Origin')).toMatchObject({ role: 'dimension', ontologyTerm: null });
  });

  it('business names: minutes after a duration word, no doubled words', () => {
    expect(col('movies', 'Running Time min').businessName).toBe('Running time minutes');
    expect(a.tables.movies!.description).toContain('running time minutes');
    expect(col('zipcodes', 'zip_code').businessName).toBe('ZIP code');
    expect(a.tables.zipcodes!.description).toContain('one row per zip code.');
    expect(humanize('temp_min')).toBe('Temperature minimum');
    expect(humanize('duration_min')).toBe('Duration minutes');
    expect(humanize('iata_code')).toBe('IATA code');
    expect(humanize('zip_cd')).toBe('ZIP code');
    // Words the name itself repeats stay.
    expect(humanize('walla_walla')).toBe('Walla walla');
  });
});

describe('a concept with several columns', () => {
  it('binds a metric per column, named after it, each summing its own column', async () => {
    const m = ontologyMetrics(base, sourceOf('vega', movies), a);
    expect(m.matchedConcepts.movies!.amount).toBe('US Gross');
    expect(m.conceptColumns.movies!.amount).toEqual(['US Gross', 'Worldwide Gross']);
    const totals = m.metrics.filter((x) => x.ontologyMetric === 'total_amount');
    expect(totals.map((x) => x.metric)).toEqual(['total_amount_us_gross', 'total_amount_worldwide_gross']);
    expect(totals[1]).toMatchObject({
      description: 'Sum of all monetary amounts (amount = Worldwide Gross).',
      sql: 'SELECT SUM("Worldwide Gross") AS "total_amount_worldwide_gross" FROM "typed_movies"',
      bindings: [{ concept: 'amount', table: 'movies', column: 'Worldwide Gross', via: 'annotation' }],
    });
    const [ref] = await queryRows<{ us: string; world: string }>(conn, 'SELECT sum("US Gross")::VARCHAR AS us, sum("Worldwide Gross")::VARCHAR AS world FROM typed_movies');
    for (const [metric, expected] of [[totals[0]!, ref!.us], [totals[1]!, ref!.world]] as const) {
      const [row] = await queryRows<Record<string, unknown>>(conn, metric.sql);
      expect(String(row![metric.metric])).toBe(expected);
    }
  });

  it('across a join too: one binding per column of the concept', async () => {
    const lines = await typedTable(conn, 'order_lines', 'SELECT (1 + i % 40)::INTEGER AS order_id, (10 + i % 7)::DECIMAL(8, 2) AS line_total, (2 + i % 3)::DECIMAL(8, 2) AS net_amount FROM range(0, 200) t(i)');
    const heads = await typedTable(conn, 'order_heads', 'SELECT i::INTEGER AS order_id, (100 + i % 9)::INTEGER AS customer_id FROM range(1, 41) t(i)');
    const m = getMetrics(loadOntology('retail'), sourceOf('shop', lines, heads), undefined, [{ fromTable: 'order_lines', fromColumn: 'order_id', toTable: 'order_heads', toColumn: 'order_id', confidence: 0.9 }]);
    const rpc = m.metrics.filter((x) => x.ontologyMetric === 'revenue_per_customer');
    expect(rpc.map((x) => x.metric)).toEqual(['revenue_per_customer_line_total', 'revenue_per_customer_net_amount']);
    const [row] = await queryRows<Record<string, unknown>>(conn, rpc[1]!.sql);
    const [ref] = await queryRows<{ v: number }>(conn, 'SELECT (sum(l.net_amount) / count(DISTINCT h.customer_id))::DOUBLE AS v FROM typed_order_lines l JOIN typed_order_heads h USING (order_id)');
    expect(Number(row!.revenue_per_customer_net_amount)).toBeCloseTo(ref!.v, 6);
  });

  describe('stored applications', () => {
    const { ctx, setUp, tearDown } = storeLifecycle('sqlite');
    beforeEach(setUp);
    afterEach(tearDown);

    it("apply a concept's quality rules to each of its columns", async () => {
      const source = await catalog(ctx.store, movies);
      const m = ontologyMetrics(base, source, a);
      await storedOntologyApplications(m, base, await storedOntology(base, ctx.store), source, ctx.store);
      const app = await ctx.store.db.selectFrom('ontologyApplications').selectAll().executeTakeFirstOrThrow();
      const rules = (app.appliedRules as { concept: string; rule_type: string; column: string }[]).filter((r) => r.concept === 'amount');
      expect(rules.map((r) => [r.rule_type, r.column])).toEqual([['non_negative', 'US Gross'], ['non_negative', 'Worldwide Gross']]);
      expect((app.applicableMetrics as { metric: string; ontology_metric: string }[]).filter((x) => x.ontology_metric === 'total_amount').map((x) => x.metric))
        .toEqual(['total_amount_us_gross', 'total_amount_worldwide_gross']);
    });
  });
});

describe('grain: what a row is about', () => {
  it('63 distinct first names are no grain, and make no error-level uniqueness', () => {
    expect(col('la_riots', 'first_name')).toMatchObject({ role: 'attribute', ontologyTerm: 'first_name' });
    expect(a.tables.la_riots!.grainColumns).toEqual([]);
    expect(a.tables.la_riots!.description).not.toMatch(/one row per/);
  });

  it('key-named and key-like columns still are: a zip code, a country listed once per row, a composite of ids', () => {
    expect(col('zipcodes', 'zip_code')).toMatchObject({ role: 'key', ontologyTerm: 'postal_code', entityType: 'zipcode' });
    expect(a.tables.zipcodes).toMatchObject({ grainColumns: ['zip_code'], isDimension: true, entityType: 'zipcode' });
    expect(col('gapminder_health_income', 'country')).toMatchObject({ role: 'attribute', ontologyTerm: 'country' });
    expect(a.tables.gapminder_health_income!.grainColumns).toEqual(['country']);
    expect(a.tables.species!.grainColumns).toEqual(['item_id', 'county_id']);
    expect(a.tables.stocks!.grainColumns).toEqual(['symbol', 'date']);
  });
});

describe('foreign keys need something to refer to', () => {
  it('repeated ids and codes without a relationship are dimensions, and the table refers to nothing', () => {
    expect(col('stocks', 'symbol')).toMatchObject({ role: 'dimension', ontologyTerm: 'code', entityType: 'symbol' });
    expect(a.tables.stocks!.description).not.toMatch(/refers to/);
    expect(a.tables.stocks).toMatchObject({ isFact: true, primaryTimeColumn: 'date' });
    for (const [c, entity] of [['item_id', 'item'], ['county_id', 'county'], ['gap_species_code', 'gap_species']] as const) {
      expect(col('species', c), c).toMatchObject({ role: 'dimension', entityType: entity });
      expect(col('species', c).businessDescription, c).not.toMatch(/^Refers to/);
    }
    // Measures per combination of identifiers: still a fact table.
    expect(a.tables.species).toMatchObject({ isFact: true, entityType: 'species' });
    expect(a.tables.species!.description).toMatch(/^Fact table of species records, 12360 rows; one row per item ID \+ county ID/i);
    expect(a.tables.species!.description).not.toMatch(/refers to/);
  });

  it('with a detected relationship the same column is a foreign key', async () => {
    const companies = await typedTable(conn, 'companies', `SELECT DISTINCT symbol FROM typed_stocks`);
    const linked = await semanticAnnotations(sourceOf('vega', stocks, companies), conn, base, undefined, [{ fromTable: 'stocks', fromColumn: 'symbol', toTable: 'companies', toColumn: 'symbol', confidence: 0.9 }]);
    expect(linked.columns.stocks!.symbol).toMatchObject({ role: 'foreign_key', entityType: 'company' });
    expect(linked.tables.stocks!.description).toContain('refers to companies');
  });
});

describe('categories of small tables', () => {
  it('a handful of values in a few dozen rows is a dimension; names and addresses stay attributes', () => {
    for (const c of ['gender', 'race', 'type']) expect(col('la_riots', c).role, c).toBe('dimension');
    expect(col('iowa_electricity', 'source')).toMatchObject({ role: 'dimension', entityType: 'category' });
    expect(a.tables.iowa_electricity!.grainColumns).toEqual(['year', 'source']);
    for (const c of ['last_name', 'address', 'neighborhood']) expect(col('la_riots', c).role, c).toBe('attribute');
    // A small table's integers are not categories on that account: ages stay measures.
    expect(col('la_riots', 'age').role).toBe('measure');
  });
});

/** Records one typed table and its columns in the store, as the catalog does, and returns the source with their ids. */
async function catalog(store: Store, table: TypedTable): Promise<TypedSource> {
  const sourceId = crypto.randomUUID();
  const tableId = crypto.randomUUID();
  await store.db.insertInto('sources').values({ sourceId, name: 'vega', sourceType: 'duckdb', connectionConfig: {} }).execute();
  await store.db.insertInto('tables').values({ tableId, sourceId, tableName: table.name, layer: 'typed', duckdbPath: null, rowCount: table.rowCount }).execute();
  const columns = [];
  for (const c of table.columns) {
    const columnId = crypto.randomUUID();
    await store.db.insertInto('columns').values({ columnId, tableId, columnName: c.name, originalName: c.name, columnPosition: c.position, rawType: 'VARCHAR', resolvedType: c.type }).execute();
    columns.push({ ...c, columnId });
  }
  return { sourceName: 'vega', tables: [{ ...table, tableId, columns }] };
}
