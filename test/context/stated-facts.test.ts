/**
 * The context document states true things, on real typed data run through the real enrichment
 * and quality nodes: both ends of a relationship are keys (vega's miserables), a score below 1
 * never reads 100%, a selection of tables carries their own figures and warnings, a query per
 * parent row keeps parents that share a name apart, people's annotations win where they should,
 * and the wording counts right.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOntology, type ResolvedOntology } from '../../config/ontology.ts';
import { withManualAnnotations } from '../../nodes/context/column-annotations.ts';
import { contextDocument } from '../../nodes/context/context-document.ts';
import { formatPercent } from '../../nodes/context/percent.ts';
import { renderContext } from '../../nodes/context/render-context.ts';
import type { ContextDocument } from '../../nodes/context/schema.ts';
import { ContextSelectionError, selectContext } from '../../nodes/context/select-context.ts';
import { openDuckDB, queryRows, quoteLiteral, type DuckDBConnection } from '../../nodes/duckdb.ts';
import { ontologyMetrics } from '../../nodes/enrichment/semantic/ontology-metrics.ts';
import { semanticAnnotations } from '../../nodes/enrichment/semantic/semantic-annotations.ts';
import type { StoredSemanticAnnotations } from '../../nodes/enrichment/semantic/stored-semantic-annotations.ts';
import { temporalProfiles } from '../../nodes/enrichment/temporal/temporal-profiles.ts';
import type { TemporalOptions } from '../../nodes/enrichment/temporal/options.ts';
import { joinPaths } from '../../nodes/enrichment/topology/join-paths.ts';
import { relationships } from '../../nodes/enrichment/topology/relationships.ts';
import type { TypedSource } from '../../nodes/enrichment/types.ts';
import { heuristicContextSummary } from '../../nodes/llm/context-summary.ts';
import { qualityResults } from '../../nodes/quality/quality-results.ts';
import { qualityRules } from '../../nodes/quality/quality-rules.ts';
import { qualityScores } from '../../nodes/quality/quality-scores.ts';
import { sourceOf, typedTable, VEGA_DIR } from '../quality/helpers.ts';

let conn: DuckDBConnection;
beforeAll(async () => { conn = await openDuckDB(':memory:'); });
afterAll(() => conn.closeSync());

/** The ingest's enrichment and quality steps as plain functions; `stored` is what storedSemanticAnnotations hands on. */
async function documentOf(source: TypedSource, ontology: ResolvedOntology = loadOntology('base'), stored?: StoredSemanticAnnotations, temporalOptions?: TemporalOptions): Promise<ContextDocument> {
  const rels = await relationships(source, conn);
  const ann = await semanticAnnotations(source, conn, ontology);
  const temporal = await temporalProfiles(source, conn, temporalOptions);
  const rules = await qualityRules(source, conn, undefined, ann, rels, ontology);
  const results = await qualityResults(rules, source, conn);
  const scores = await qualityScores(results, source, conn, undefined, temporal, ann);
  return contextDocument(source, ann, rels, temporal, scores, ontologyMetrics(ontology, source, ann), ontology, results, joinPaths(rels, source), rules, stored);
}

const column = (doc: ContextDocument, table: string, name: string) => doc.tables.find((t) => t.name === table)!.columns.find((c) => c.name === name)!;

/** 60 customers sharing 15 names; orders: 3 of 3000 point at a customer that does not exist, 1 amount is missing. */
async function shop(): Promise<TypedSource> {
  const customers = await typedTable(conn, 'customers', `
    SELECT i::INTEGER AS customer_id, ['Anna Weber', 'Ben Fox', 'Cara Li', 'Dan Ode', 'Eva Ruiz', 'Finn Holt', 'Gia Park', 'Hal Moss',
      'Ida Kern', 'Jon Beck', 'Kim Ash', 'Leo Dunn', 'Mia Cole', 'Ned Lowe', 'Ola Berg'][1 + i % 15] AS name
    FROM range(1, 61) t(i)`);
  const orders = await typedTable(conn, 'orders', `
    SELECT i::INTEGER AS order_id, (CASE WHEN i IN (10, 20, 30) THEN 999 ELSE 1 + (i * 7919) % 60 END)::INTEGER AS customer_id,
      (CASE WHEN i = 77 THEN NULL ELSE 1 + (i * 37) % 500 END)::DECIMAL(8, 2) AS amount
    FROM range(1, 3001) t(i)`);
  return sourceOf('shop', customers, orders);
}

describe('relationships settle roles', () => {
  let doc: ContextDocument;
  beforeAll(async () => {
    const file = quoteLiteral(`${VEGA_DIR}miserables.json`);
    const nodes = await typedTable(conn, 'miserables_nodes', `SELECT n.name, n."group" AS group_, n."index"::INTEGER AS "index" FROM (SELECT unnest(nodes) AS n FROM read_json(${file}))`);
    const links = await typedTable(conn, 'miserables_links', `SELECT l.source::INTEGER AS source, l.target::INTEGER AS target, l.value::INTEGER AS value FROM (SELECT unnest(links) AS l FROM read_json(${file}))`);
    doc = await documentOf(sourceOf('miserables', nodes, links));
  });

  it('the referenced column is a key and the referencing ones foreign keys, and none of them is a measure', async () => {
    expect(doc.relationships.map((r) => `${r.from_table}.${r.from_columns[0]}->${r.to_table}.${r.to_columns[0]}`).sort())
      .toEqual(['miserables_links.source->miserables_nodes.index', 'miserables_links.target->miserables_nodes.index']);
    expect(column(doc, 'miserables_nodes', 'index').role).toBe('key');
    expect(column(doc, 'miserables_links', 'source')).toMatchObject({ role: 'foreign_key', description: expect.stringContaining('References miserables_nodes.index.') });
    expect(column(doc, 'miserables_links', 'target').role).toBe('foreign_key');
    const [nodes, links] = doc.tables;
    expect(nodes!.description).not.toMatch(/measures:[^;.]*index/);
    expect(links!.description).toMatch(/measures: value; refers to miserables_nodes\./);
    // No suggested query averages a key.
    for (const q of doc.suggested_queries) expect(q.sql, q.title).not.toMatch(/avg\("(index|source|target)"\)/);
    for (const q of doc.suggested_queries) await expect(queryRows(conn, q.sql), q.title).resolves.toBeInstanceOf(Array);
  });

  it('lists every column a concept stands for among the domain concepts (US and worldwide gross)', async () => {
    const movies = await typedTable(conn, 'movies', `SELECT "Title" AS title, "US Gross" AS us_gross, "Worldwide Gross" AS worldwide_gross FROM read_json(${quoteLiteral(`${VEGA_DIR}movies.json`)})`);
    const md = await documentOf(sourceOf('movies', movies));
    expect(md.domain_concepts.filter((c) => c.concept === 'amount').map((c) => c.column)).toEqual(['us_gross', 'worldwide_gross']);
    expect(md.metrics.map((m) => m.name)).toEqual(expect.arrayContaining(['total_amount_us_gross', 'total_amount_worldwide_gross']));
  });

  it('says "1 row" of a one-row table', async () => {
    const one = await documentOf(sourceOf('settings', await typedTable(conn, 'settings', `SELECT 1 AS id, 'dark' AS theme`)));
    expect(one.tables[0]!.description).toMatch(/, 1 row[;.]/);
  });
});

describe('a shop where 3 of 3000 orders reference a missing customer', () => {
  let doc: ContextDocument;
  beforeAll(async () => { doc = await documentOf(await shop()); });

  it('never rounds a score below 1 up to 100%, nor a null rate above 0 down to 0%', () => {
    const customerId = column(doc, 'orders', 'customer_id');
    expect(customerId.quality!.overall).toBeLessThan(1);
    expect(customerId.quality!.overall).toBeGreaterThan(0.999);
    const failed = doc.quality_summary!.failed_rules.find((r) => r.rule === 'orders.customer_id.referential_integrity')!;
    expect(failed).toMatchObject({ severity: 'error', failed_records: 3 });
    const md = renderContext(doc, 'markdown');
    expect(md).toContain('| orders.customer_id.referential_integrity | error | 3 | 99.9% |');
    const row = md.split('\n').find((l) => l.startsWith('| `customer_id` | INTEGER | foreign_key |'))!;
    expect(row).toMatch(/\| 99\.9% \|$/);
    expect(md).toMatch(/- Quality: overall \d+\.\d% \(completeness [\d.]+%, validity [\d.]+%, consistency 99\.9%/);
    expect(md).not.toMatch(/Overall 100\.0%/);
    expect(md.split('\n').find((l) => l.startsWith('| `amount` |'))).toContain('| 1 (<0.1%) |');
    expect(heuristicContextSummary(doc)).toMatch(/overall quality score 9\d%/);
    expect([formatPercent(0.9995), formatPercent(0.9995, 0), formatPercent(1 / 20_000), formatPercent(1), formatPercent(0)]).toEqual(['99.9%', '99%', '<0.1%', '100.0%', '0.0%']);
  });

  it('calls orders, whose settled foreign key comes with a measure, a fact table, and customers a dimension', () => {
    // Semantic enrichment saw customer_id before the relationship was found: a repeated id, no more.
    expect(doc.tables.map((t) => [t.name, t.kind])).toEqual([['customers', 'dimension'], ['orders', 'fact']]);
    expect(doc.tables[1]!.description).toMatch(/^Fact table of order records/);
    expect(heuristicContextSummary(doc)).toContain('Facts are recorded in orders, described by customers.');
  });

  it('counts rows per customer, not per customer name', async () => {
    const q = doc.suggested_queries.find((s) => s.title === 'orders per customers (customer_id)')!;
    expect(q.sql).toContain('GROUP BY 1, 2');
    const rows = await queryRows<{ customer_id: number; name: string; row_count: bigint }>(conn, q.sql);
    expect(rows.length).toBe(20);
    expect(new Set(rows.map((r) => r.customer_id)).size).toBe(rows.length);
    const [most] = await queryRows<{ n: bigint }>(conn, 'SELECT count(*) AS n FROM typed_orders GROUP BY customer_id ORDER BY n DESC LIMIT 1');
    expect(Number(rows[0]!.row_count)).toBe(Number(most!.n));
  });

  it('a selection of tables carries their figures and warnings only, and the source-wide ones when all are kept', () => {
    const all = doc.quality_summary!;
    expect(all.rules_failed).toBeGreaterThanOrEqual(1);
    expect(doc.warnings.some((w) => w.includes('orders.customer_id'))).toBe(true);
    // The orphans are the failing rule's rows: one warning says so, not two.
    expect(doc.warnings.filter((w) => w.includes('orders.customer_id.referential_integrity'))).toEqual(['orders.customer_id.referential_integrity fails on 3 of 3000 rows']);
    expect(doc.quality_summary!.anomalies.some((a) => a.kind === 'orphans')).toBe(true);

    const customers = selectContext(doc, { tables: ['customers'] });
    const cq = customers.quality_summary!;
    const cs = all.tables.find((t) => t.table === 'customers')!;
    expect(cq).toMatchObject({ overall: cs.overall, rules_total: cs.rules_total, rules_failed: 0, failed_rules: [] });
    expect(cq.rules_total).toBeGreaterThan(0);
    expect(cq.rules_total).toBeLessThan(all.rules_total);
    expect(customers.warnings.filter((w) => w.includes('orders'))).toEqual([]);
    expect(customers.summary).toBeUndefined();
    expect(renderContext(customers, 'markdown')).toContain(`0 of ${cq.rules_total} rules fail.`);

    const orders = selectContext(doc, { tables: ['orders'] });
    const oq = orders.quality_summary!;
    expect(oq.rules_failed).toBe(oq.failed_rules.length);
    expect(oq.failed_rules.map((r) => r.rule)).toContain('orders.customer_id.referential_integrity');
    expect(oq.rules_total + cq.rules_total).toBe(all.rules_total);
    expect(orders.warnings).toContain('orders.customer_id.referential_integrity fails on 3 of 3000 rows');

    expect(selectContext(doc)).toEqual(doc);
    const withSummary = { ...doc, summary: { text: heuristicContextSummary(doc), source: 'heuristic' as const } };
    expect(selectContext(withSummary, { include_modules: ['tables'] }).summary).toEqual(withSummary.summary);
  });

  it('names unknown tables plainly, and states no table count when tables are left out', () => {
    expect(() => selectContext(doc, { tables: ['products'] })).toThrow(ContextSelectionError);
    expect(() => selectContext(doc, { tables: ['products'] })).toThrow(/^unknown table 'products' in source 'shop'; known: customers, orders$/);
    const md = renderContext(selectContext(doc, { include_modules: ['quality'] }), 'markdown');
    expect(md.split('\n')[2]).toMatch(/^Generated \S+\.$/);
    expect(md).not.toContain('0 tables');
  });
});

describe("people's annotations", () => {
  it('win in the document the ingest writes and in the one read later, alike', async () => {
    const source = await shop();
    const manual: StoredSemanticAnnotations['manual'] = {
      orders: {
        amount: { role: 'measure', businessName: 'Order amount (EUR)', description: 'What the customer paid, VAT included.', ontologyTerm: 'amount' },
        // Renamed only: the row keeps the role the heuristics gave; the relationship still decides it.
        customer_id: { role: 'dimension', businessName: 'Buyer', description: null, ontologyTerm: null },
      },
    };
    const stored: StoredSemanticAnnotations = { columns: 0, tables: 0, keptManual: ['orders.amount', 'orders.customer_id'], manual };
    const written = await documentOf(source, loadOntology('base'), stored);
    expect(column(written, 'orders', 'amount')).toMatchObject({ role: 'measure', business_name: 'Order amount (EUR)', description: 'What the customer paid, VAT included.', ontology_term: 'amount' });
    expect(column(written, 'orders', 'customer_id')).toMatchObject({ role: 'foreign_key', business_name: 'Buyer', description: expect.stringMatching(/References customers\.customer_id\.$/) });

    // Read later: the document written without them, the same annotations laid over.
    const plain = await documentOf(source);
    expect(column(plain, 'orders', 'amount').business_name).toBe('Amount');
    const read = withManualAnnotations(plain, manual);
    expect(read.tables.map((t) => t.columns)).toEqual(written.tables.map((t) => t.columns));
    expect(withManualAnnotations(written, manual)).toEqual(written);
    expect(withManualAnnotations(plain, {})).toBe(plain);
  });
});

describe('wording', () => {
  it('names the columns of each relationship and each metric once, with its tables when bound on several', async () => {
    const airports = await typedTable(conn, 'airports', `SELECT * FROM read_csv(${quoteLiteral(`${VEGA_DIR}airports.csv`)})`);
    const flights = await typedTable(conn, 'flights_airport', `SELECT * FROM read_csv(${quoteLiteral(`${VEGA_DIR}flights-airport.csv`)})`);
    const doc = await documentOf(sourceOf('flights', airports, flights));
    const text = heuristicContextSummary(doc);
    expect(text).toContain('2 relationships connect the tables: ');
    expect(text).toContain('flights_airport.origin -> airports.iata');
    expect(text).toContain('flights_airport.destination -> airports.iata');

    const weather = await typedTable(conn, 'weather', `SELECT * FROM read_csv(${quoteLiteral(`${VEGA_DIR}seattle-weather.csv`)})`);
    const stocks = await typedTable(conn, 'stocks', `SELECT symbol, strptime(date, '%b %-d %Y')::DATE AS date, price FROM read_csv(${quoteLiteral(`${VEGA_DIR}stocks.csv`)}, all_varchar = true)`);
    const timed = await documentOf(sourceOf('two', weather, stocks));
    const spans = timed.metrics.filter((m) => m.name === 'time_span_days');
    expect(spans.map((m) => m.tables)).toEqual([['weather'], ['stocks']]);
    expect(heuristicContextSummary(timed)).toMatch(/Computable metrics: [^.]*time_span_days \(weather, stocks\)/);
    expect(heuristicContextSummary(timed).match(/time_span_days/g)).toHaveLength(1);
    const md = renderContext(timed, 'markdown');
    expect(md).toContain('\n### time_span_days (weather)\n');
    expect(md).toContain('\n### time_span_days (stocks)\n');
    expect(timed.suggested_queries.filter((q) => q.category === 'metrics').map((q) => q.title)).toEqual(expect.arrayContaining(['time_span_days (weather)', 'time_span_days (stocks)']));
  });
});

describe('a time axis states its cycle and trend', () => {
  it('Seattle\'s daily maximum temperature: a yearly cycle; CO2 by month: a cycle of 12 months and a rising trend', async () => {
    const weather = await typedTable(conn, 'seattle_weather', `SELECT * FROM read_csv(${quoteLiteral(`${VEGA_DIR}seattle-weather.csv`)})`);
    const seattle = await documentOf(sourceOf('seattle', weather), loadOntology('base'), undefined, { measure: { seattle_weather: 'temp_max' } });
    expect(column(seattle, 'seattle_weather', 'date').temporal).toMatchObject({ granularity: 'day', series: 'avg(temp_max)', seasonality: { period: '365 days' } });
    expect(renderContext(seattle, 'markdown')).toMatch(/^- Time axis: `date` \(day; a cycle of 365 days in avg\(temp_max\), autocorrelation 0\.\d\d\)$/m);

    const co2 = await typedTable(conn, 'co2', `SELECT "Date" AS date, "CO2" AS co2 FROM read_csv(${quoteLiteral(`${VEGA_DIR}co2-concentration.csv`)})`);
    // One row a month is a regular series: by default its measure is profiled.
    const doc = await documentOf(sourceOf('co2', co2));
    expect(column(doc, 'co2', 'date').temporal).toMatchObject({ series: 'avg(co2)', seasonality: { period: '12 months' }, trend: { direction: 'up' } });
    // Counting its rows shows neither.
    const counted = await documentOf(sourceOf('co2', co2), loadOntology('base'), undefined, { measure: 'count' });
    expect(column(counted, 'co2', 'date').temporal).toMatchObject({ series: 'rows', seasonality: null, trend: null });
  });
});
