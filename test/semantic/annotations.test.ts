import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOntology } from '../../config/ontology.ts';
import { openDuckDB, queryRows, quoteIdent, type DuckDBConnection } from '../../nodes/duckdb.ts';
import { columnStats } from '../../nodes/enrichment/semantic/column-stats.ts';
import { detectGrain } from '../../nodes/enrichment/semantic/grain.ts';
import { entityFromTableName, humanize } from '../../nodes/enrichment/semantic/names.ts';
import { semanticAnnotations } from '../../nodes/enrichment/semantic/semantic-annotations.ts';
import type { RelationshipHint, SemanticAnnotations } from '../../nodes/enrichment/semantic/types.ts';
import type { TypedTable } from '../../nodes/enrichment/types.ts';
import type { ProfilingResult } from '../../nodes/profiling/types.ts';
import { retailStar, sourceOf, typedTable, VEGA_DIR } from './helpers.ts';

let conn: DuckDBConnection;
let airports: TypedTable;
let flights: TypedTable;
let weather: TypedTable;
let movies: TypedTable;
let stocks: TypedTable;
let cars: TypedTable;
let vega: SemanticAnnotations;
const FLIGHT_FKS: RelationshipHint[] = [
  { fromTable: 'flights_airport', fromColumn: 'origin', toTable: 'airports', toColumn: 'iata', confidence: 0.97 },
  { fromTable: 'flights_airport', fromColumn: 'destination', toTable: 'airports', toColumn: 'iata', confidence: 0.97 },
];

beforeAll(async () => {
  conn = await openDuckDB(':memory:');
  airports = await typedTable(conn, 'airports', `SELECT * FROM read_csv('${VEGA_DIR}airports.csv')`);
  flights = await typedTable(conn, 'flights_airport', `SELECT * FROM read_csv('${VEGA_DIR}flights-airport.csv')`);
  weather = await typedTable(conn, 'seattle_weather', `SELECT * FROM read_csv('${VEGA_DIR}seattle-weather.csv')`);
  movies = await typedTable(conn, 'movies', `SELECT * FROM read_json('${VEGA_DIR}movies.json')`);
  // What type resolution makes of stocks.csv's 'Jan 1 2000' dates.
  stocks = await typedTable(conn, 'stocks', `SELECT symbol, strptime(date, '%b %-d %Y')::DATE AS date, price FROM read_csv('${VEGA_DIR}stocks.csv', all_varchar = true, types = {'price': 'DOUBLE'})`);
  cars = await typedTable(conn, 'cars', `SELECT * FROM read_json('${VEGA_DIR}cars.json')`);
  vega = await semanticAnnotations(sourceOf('vega', airports, flights, weather, movies, stocks, cars), conn, loadOntology('base'), undefined, FLIGHT_FKS);
});
afterAll(() => conn?.closeSync());

const role = (a: SemanticAnnotations, table: string, column: string) => a.columns[table]![column]!.role;

describe('column roles on vega-datasets', () => {
  it('dates are timestamps', () => {
    expect(role(vega, 'seattle_weather', 'date')).toBe('timestamp');
    expect(role(vega, 'stocks', 'date')).toBe('timestamp');
    expect(role(vega, 'cars', 'Year')).toBe('timestamp');
  });

  it('ids and codes are keys or foreign keys', () => {
    expect(role(vega, 'airports', 'iata')).toBe('key');
    expect(role(vega, 'flights_airport', 'origin')).toBe('foreign_key');
    expect(role(vega, 'flights_airport', 'destination')).toBe('foreign_key');
    // A repeated code with no table to refer to: an identifier to group by, not a foreign key.
    expect(vega.columns.stocks!.symbol).toMatchObject({ role: 'dimension', ontologyTerm: 'code', entityType: 'symbol' });
    const origin = vega.columns.flights_airport!.origin!;
    expect(origin.entityType).toBe('airport');
    expect(origin.businessDescription).toContain('airports');
    expect(origin.evidence.map((e) => e.signal)).toContain('relationship');
    expect(vega.columns.airports!.iata!.evidence.map((e) => e.signal)).toEqual(expect.arrayContaining(['type', 'uniqueness', 'relationship']));
  });

  it('prices, amounts and readings are measures', () => {
    expect(role(vega, 'stocks', 'price')).toBe('measure');
    expect(role(vega, 'movies', 'US Gross')).toBe('measure');
    expect(role(vega, 'movies', 'Production Budget')).toBe('measure');
    expect(role(vega, 'flights_airport', 'count')).toBe('measure');
    for (const c of ['precipitation', 'temp_max', 'temp_min', 'wind']) expect(role(vega, 'seattle_weather', c)).toBe('measure');
    expect(vega.columns.movies!['US Gross']!.ontologyTerm).toBe('amount');
  });

  it('categories are dimensions; names and coordinates attributes', () => {
    expect(role(vega, 'seattle_weather', 'weather')).toBe('dimension');
    expect(role(vega, 'movies', 'MPAA Rating')).toBe('dimension');
    expect(role(vega, 'movies', 'Major Genre')).toBe('dimension');
    expect(role(vega, 'cars', 'Origin')).toBe('dimension');
    expect(role(vega, 'cars', 'Cylinders')).toBe('dimension');
    expect(role(vega, 'airports', 'state')).toBe('dimension');
    expect(role(vega, 'airports', 'name')).toBe('attribute');
    expect(role(vega, 'airports', 'latitude')).toBe('attribute');
  });

  it('confidence and evidence come with every column', () => {
    for (const cols of Object.values(vega.columns)) {
      for (const c of Object.values(cols)) {
        expect(c.confidence).toBeGreaterThan(0);
        expect(c.confidence).toBeLessThanOrEqual(1);
        expect(c.evidence[0]!.signal).toBe('type');
        expect(c.source).toBe('heuristic');
        expect(c.businessDescription.length).toBeGreaterThan(10);
      }
    }
  });
});

describe('tables', () => {
  it('a small star: flights_airport is the fact, airports the dimension', () => {
    expect(vega.tables.flights_airport).toMatchObject({ isFact: true, isDimension: false, grainColumns: ['origin', 'destination'] });
    expect(vega.tables.airports).toMatchObject({ isFact: false, isDimension: true, grainColumns: ['iata'], entityType: 'airport' });
    expect(vega.tables.airports!.description).toMatch(/^Dimension table of airport records, 3376 rows; one row per IATA code/i);
  });

  it('grain is the smallest unique set, checked against DuckDB', async () => {
    expect(vega.tables.seattle_weather!.grainColumns).toEqual(['date']);
    expect(vega.tables.stocks!.grainColumns).toEqual(['symbol', 'date']);
    expect(vega.tables.movies!.grainColumns).toEqual([]); // real duplicates: no unique combination
    for (const [name, t] of Object.entries(vega.tables)) {
      if (!t.grainColumns.length) continue;
      const cols = t.grainColumns.map(quoteIdent).join(', ');
      const [r] = await queryRows<{ d: string; n: string }>(conn, `SELECT count(DISTINCT row(${cols})) AS d, count(*) AS n FROM ${quoteIdent(t.typedTable)}`);
      expect(r!.d, name).toBe(r!.n);
      // Smallest: no column can be dropped.
      for (const drop of t.grainColumns) {
        const rest = t.grainColumns.filter((c) => c !== drop);
        if (!rest.length) continue;
        const [s] = await queryRows<{ d: string }>(conn, `SELECT count(DISTINCT row(${rest.map(quoteIdent).join(', ')})) AS d FROM ${quoteIdent(t.typedTable)}`);
        expect(Number(s!.d), `${name} without ${drop}`).toBeLessThan(Number(r!.n));
      }
    }
  });

  it('time series are facts over their time column', () => {
    expect(vega.tables.seattle_weather).toMatchObject({ isFact: true, primaryTimeColumn: 'date' });
    expect(vega.tables.stocks).toMatchObject({ isFact: true, primaryTimeColumn: 'date' });
    expect(vega.tables.airports!.primaryTimeColumn).toBeNull();
  });

  it('grain detection counts combinations in one query per size', async () => {
    const stats = await columnStats(conn, stocks);
    const g = await detectGrain(conn, stocks.typedTable, ['symbol', 'date', 'price'], stats, stocks.rowCount);
    expect(g).toEqual({ columns: ['symbol', 'date'], combinationsChecked: 3, queries: 1 });
    // Large tables: a slice rejects most combinations before the full count.
    const sliced = await detectGrain(conn, stocks.typedTable, ['symbol', 'date', 'price'], stats, stocks.rowCount, { sampleRows: 100 });
    expect(sliced).toMatchObject({ columns: ['symbol', 'date'], queries: 2 });
    expect(sliced.combinationsChecked).toBeLessThanOrEqual(3);
    const none = await detectGrain(conn, movies.typedTable, ['MPAA Rating', 'Major Genre'], await columnStats(conn, movies), movies.rowCount);
    expect(none.columns).toEqual([]);
  });
});

describe('retail star schema with the retail ontology', () => {
  let retail: SemanticAnnotations;
  beforeAll(async () => {
    const { customers, products, sales, orders } = await retailStar(conn);
    // Topology's result shape (foreign keys with column lists), passed as it is.
    const fk = (fromTable: string, toTable: string, column: string) => ({ fromTable, fromColumns: [column], toTable, toColumns: [column], confidence: 0.9, cardinality: 'many_to_one' });
    retail = await semanticAnnotations(sourceOf('shop', customers, products, sales, orders), conn, loadOntology('retail'), undefined, {
      relationships: [fk('sales', 'customers', 'customer_id'), fk('sales', 'products', 'product_id'), fk('orders', 'customers', 'customer_id')],
    });
  });

  it('facts and dimensions', () => {
    expect(retail.tables.sales).toMatchObject({ isFact: true, isDimension: false, grainColumns: ['order_id', 'line_no'], primaryTimeColumn: 'order_date' });
    expect(retail.tables.customers).toMatchObject({ isFact: false, isDimension: true, grainColumns: ['customer_id'], entityType: 'customer' });
    expect(retail.tables.products).toMatchObject({ isFact: false, isDimension: true, grainColumns: ['product_id'], entityType: 'product' });
    expect(retail.tables.orders).toMatchObject({ isFact: true, grainColumns: ['order_id'], entityType: 'order' });
  });

  it('roles, ontology terms and business names', () => {
    const s = retail.columns.sales!;
    // No relationship from sales to orders was given: the repeated order id groups lines.
    expect(s.order_id).toMatchObject({ role: 'dimension', ontologyTerm: 'order_id', entityType: 'order' });
    expect(s.customer_id).toMatchObject({ role: 'foreign_key', entityType: 'customer' });
    expect(s.amount).toMatchObject({ role: 'measure', ontologyTerm: 'revenue', entityType: 'money' });
    expect(s.qty).toMatchObject({ role: 'measure', ontologyTerm: 'quantity', businessName: 'Quantity' });
    expect(s.order_date).toMatchObject({ role: 'timestamp', ontologyTerm: 'order_date' });
    expect(s.channel).toMatchObject({ role: 'dimension', ontologyTerm: 'channel' });
    expect(retail.columns.orders!.order_id).toMatchObject({ role: 'key', ontologyTerm: 'order_id' });
    expect(retail.columns.customers!.cust_nm).toMatchObject({ role: 'attribute', businessName: 'Customer name', ontologyTerm: 'customer_name' });
    expect(retail.columns.customers!.email!.ontologyTerm).toBe('email');
    expect(retail.columns.products!.unit_price).toMatchObject({ role: 'measure', ontologyTerm: 'unit_price' });
    expect(retail.columns.products!.category).toMatchObject({ role: 'dimension', ontologyTerm: 'product_category' });
  });

  it('keeps the relationships it used, one hint per column pair', () => {
    expect(retail.relationships).toContainEqual({ fromTable: 'sales', fromColumn: 'product_id', toTable: 'products', toColumn: 'product_id', confidence: 0.9 });
    expect(retail.relationships).toHaveLength(3);
  });

  it('a composite foreign key marks both columns as foreign keys', async () => {
    const { sales, orders } = await retailStar(conn);
    const lines = await typedTable(conn, 'line_notes', 'SELECT order_id, line_no, \'note \' || order_id AS note FROM typed_sales');
    const a = await semanticAnnotations(sourceOf('shop', sales, orders, lines), conn, loadOntology('base'), undefined, {
      relationships: [{ fromTable: 'line_notes', fromColumns: ['order_id', 'line_no'], toTable: 'sales', toColumns: ['order_id', 'line_no'], confidence: 0.8 }],
    });
    expect(role(a, 'line_notes', 'order_id')).toBe('foreign_key');
    expect(role(a, 'line_notes', 'line_no')).toBe('foreign_key');
    expect(a.relationships.every((r) => r.composite)).toBe(true);
  });

  it('without relationships, repeated ids are dimensions (nothing says what they refer to) and unique ids keys', async () => {
    const { sales, customers } = await retailStar(conn);
    const bare = await semanticAnnotations(sourceOf('shop', sales, customers), conn, loadOntology('base'));
    expect(bare.columns.sales!.customer_id).toMatchObject({ role: 'dimension', entityType: 'customer' });
    expect(bare.columns.sales!.customer_id!.evidence.map((e) => e.detail).join('; ')).toMatch(/no detected relationship/);
    expect(role(bare, 'sales', 'product_id')).toBe('dimension');
    expect(bare.tables.sales!.description).not.toMatch(/refers to/);
    expect(role(bare, 'customers', 'customer_id')).toBe('key');
    expect(bare.tables.sales!.isFact).toBe(true);
    expect(bare.tables.customers!.isDimension).toBe(true);
  });
});

describe('stats from profiling', () => {
  it('uses profiling for columns typing kept as they were, and one query per table for the rest', async () => {
    const computed = await columnStats(conn, weather);
    expect(computed.date).toMatchObject({ rowCount: 1461, nullCount: 0, distinctCount: 1461, minValue: '2012-01-01', maxValue: '2015-12-31', from: 'query' });
    expect(computed.weather).toMatchObject({ distinctCount: 5, maxLength: 7 });
    const profiling: ProfilingResult = {
      profiledAt: new Date().toISOString(),
      tables: {
        seattle_weather: {
          table: 'seattle_weather', rawTable: 'raw_seattle_weather', rowCount: 1461, queryCount: 1, durationMs: 1,
          columns: Object.fromEntries(weather.columns.map((c) => [c.name, {
            column: c.name, position: c.position, rawType: 'VARCHAR', totalCount: 1461, nullCount: computed[c.name]!.nullCount,
            nonNullCount: 1461, distinctCount: computed[c.name]!.distinctCount, nullRatio: 0, cardinalityRatio: 0,
            minValue: computed[c.name]!.minValue, maxValue: computed[c.name]!.maxValue, topValues: [],
          }])),
        },
      },
    };
    const fromProfile = await columnStats(conn, weather, profiling);
    // The profile is of the raw text: a column typed as something else is read from the typed table.
    expect(fromProfile.weather!.from).toBe('profiling');
    expect(fromProfile.date).toEqual(computed.date);
    const a = await semanticAnnotations(sourceOf('w', weather), conn, loadOntology('iot'), profiling);
    expect(a.columns.seattle_weather!.weather!.stats.from).toBe('profiling');
    expect(a.columns.seattle_weather!.date!.stats.from).toBe('query');
    expect(a.columns.seattle_weather!.precipitation).toMatchObject({ role: 'measure', ontologyTerm: 'precipitation' });
    // A profile of fewer rows (some went to quarantine) is not trusted.
    const stale = { ...profiling, tables: { seattle_weather: { ...profiling.tables.seattle_weather!, rowCount: 1400 } } };
    expect((await columnStats(conn, weather, stale)).weather!.from).toBe('query');
  });

  it('reads a wide table in batches of columns, each column with its own figures', async () => {
    // Column c: c + (i % (c % 5 + 2)) over 20 rows, NULL on the last four rows of odd columns.
    const wide = await typedTable(conn, 'wide', `SELECT ${Array.from({ length: 250 }, (_, c) => `CASE WHEN ${c % 2} = 1 AND i >= 16 THEN NULL ELSE ${c} + i % ${c % 5 + 2} END::INTEGER AS c${c}`).join(', ')} FROM range(20) t(i)`);
    const stats = await columnStats(conn, wide);
    for (let c = 0; c < 250; c++) {
      const m = c % 5 + 2;
      expect(stats[`c${c}`], `c${c}`).toMatchObject({ rowCount: 20, nullCount: c % 2 ? 4 : 0, distinctCount: m, minValue: String(c), maxValue: String(c + m - 1), from: 'query' });
    }
  });
});

describe('edge cases', () => {
  it('an empty table, nested types and an all-null column annotate without errors', async () => {
    const empty = await typedTable(conn, 'empty_orders', 'SELECT 1::INTEGER AS order_id, 2.5::DOUBLE AS amount WHERE false');
    const nested = await typedTable(conn, 'nested', `SELECT i::INTEGER AS id, [i, i + 1] AS tags, {'a': i} AS attrs, NULL::VARCHAR AS nothing FROM range(1, 31) t(i)`);
    const a = await semanticAnnotations(sourceOf('x', empty, nested), conn, loadOntology('retail'));
    expect(a.tables.empty_orders).toMatchObject({ rowCount: 0, grainColumns: [] });
    expect(a.columns.empty_orders!.amount!.stats).toMatchObject({ rowCount: 0, distinctCount: 0, minValue: null });
    expect(a.columns.nested!.tags!.role).toBe('attribute');
    expect(a.columns.nested!.attrs!.stats.minValue).toBeNull();
    expect(a.columns.nested!.nothing!.stats).toMatchObject({ nullCount: 30, distinctCount: 0 });
    expect(a.tables.nested!.grainColumns).toEqual(['id']);
    expect(a.columns.nested!.id!.role).toBe('key');
  });
});

describe('names', () => {
  it('humanizes with the abbreviation table', () => {
    expect(humanize('cust_nm')).toBe('Customer name');
    expect(humanize('order_qty')).toBe('Order quantity');
    expect(humanize('customerID')).toBe('Customer ID');
    expect(humanize('Worldwide Gross')).toBe('Worldwide gross');
    expect(humanize('txn_amt_usd')).toBe('Transaction amount usd');
    expect(humanize('iata')).toBe('IATA code');
  });

  it('derives singular entity names from table names', () => {
    expect(entityFromTableName('airports')).toBe('airport');
    expect(entityFromTableName('order_lines')).toBe('order_line');
    expect(entityFromTableName('categories')).toBe('category');
    expect(entityFromTableName('movies')).toBe('movie');
    expect(entityFromTableName('dim_addresses')).toBe('address');
    expect(entityFromTableName('flights-airport')).toBe('flight_airport');
  });
});
