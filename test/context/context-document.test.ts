/**
 * The context document on real data (airports + flights, seattle weather) and a small retail
 * schema: assembled from the real enrichment nodes, validated by its schema, every suggested
 * query run in DuckDB, renderings that round-trip, selection, and the files it is written to.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadOntology, type ResolvedOntology } from '../../config/ontology.ts';
import { contextDocument } from '../../nodes/context/context-document.ts';
import { contextDocumentFile } from '../../nodes/context/context-document-file.ts';
import { renderContext } from '../../nodes/context/render-context.ts';
import { ContextDocumentSchema, type ContextDocument } from '../../nodes/context/schema.ts';
import { selectContext } from '../../nodes/context/select-context.ts';
import { openDuckDB, queryRows, type DuckDBConnection } from '../../nodes/duckdb.ts';
import { ontologyMetrics } from '../../nodes/enrichment/semantic/ontology-metrics.ts';
import { semanticAnnotations } from '../../nodes/enrichment/semantic/semantic-annotations.ts';
import { temporalProfiles } from '../../nodes/enrichment/temporal/temporal-profiles.ts';
import { joinPaths } from '../../nodes/enrichment/topology/join-paths.ts';
import { relationships } from '../../nodes/enrichment/topology/relationships.ts';
import type { TypedSource } from '../../nodes/enrichment/types.ts';
import { qualityResults } from '../../nodes/quality/quality-results.ts';
import { qualityRules } from '../../nodes/quality/quality-rules.ts';
import { qualityScores } from '../../nodes/quality/quality-scores.ts';
import { moviesOntology, sourceOf, typedTable, vegaTable } from '../quality/helpers.ts';

let conn: DuckDBConnection;

beforeAll(async () => { conn = await openDuckDB(':memory:'); });
afterAll(() => conn.closeSync());

/** The ingest dataflow's enrichment and quality steps, called as plain functions. */
async function documentOf(source: TypedSource, ontology: ResolvedOntology): Promise<ContextDocument> {
  const rels = await relationships(source, conn);
  const paths = joinPaths(rels, source);
  const ann = await semanticAnnotations(source, conn, ontology, undefined, rels);
  const temporal = await temporalProfiles(source, conn);
  const metrics = ontologyMetrics(ontology, source, ann);
  const rules = await qualityRules(source, conn, undefined, ann, rels, ontology);
  const results = await qualityResults(rules, source, conn);
  const scores = await qualityScores(results, source, conn, undefined, temporal);
  return contextDocument(source, ann, rels, temporal, scores, metrics, ontology, results, paths, rules);
}

async function runsInDuckDB(doc: ContextDocument): Promise<void> {
  for (const q of doc.suggested_queries) {
    await expect(queryRows(conn, q.sql), `${q.title}: ${q.sql}`).resolves.toBeInstanceOf(Array);
  }
  for (const m of doc.metrics) await expect(queryRows(conn, m.sql), m.name).resolves.toHaveLength(1);
  for (const p of doc.join_paths) await expect(queryRows(conn, `${p.sql} LIMIT 1`), p.sql).resolves.toBeInstanceOf(Array);
}

describe('contextDocument: airports and flights', () => {
  let doc: ContextDocument;
  beforeAll(async () => {
    const source = sourceOf('flights', await vegaTable(conn, 'airports', 'airports.csv'), await vegaTable(conn, 'flights', 'flights-airport.csv'));
    doc = await documentOf(source, loadOntology('base'));
  });

  it('describes tables, columns, relationships and quality, and validates', () => {
    expect(ContextDocumentSchema.safeParse(doc).success).toBe(true);
    expect(doc.tables.map((t) => t.name)).toEqual(['airports', 'flights']);
    const airports = doc.tables[0]!;
    expect(airports).toMatchObject({ typed_table: 'typed_airports', row_count: 3376, grain: ['iata'] });
    const iata = airports.columns.find((c) => c.name === 'iata')!;
    expect(iata).toMatchObject({ type: 'VARCHAR', role: 'key', profile: { null_count: 0, distinct_count: 3376 } });
    expect(iata.quality?.uniqueness).toBe(1);
    expect(doc.relationships.map((r) => `${r.from_table}.${r.from_columns[0]}->${r.to_table}.${r.to_columns[0]}`).sort())
      .toEqual(['flights.destination->airports.iata', 'flights.origin->airports.iata']);
    expect(doc.quality_summary!.rules_total).toBeGreaterThan(5);
    expect(doc.quality_summary!.overall).toBeGreaterThan(0.8);
    expect(doc.suggested_queries.map((q) => q.category)).toEqual(expect.arrayContaining(['overview', 'segments', 'quality']));
  });

  it('suggests only queries that run in DuckDB', async () => {
    await runsInDuckDB(doc);
    const joined = doc.suggested_queries.find((q) => q.title.startsWith('flights per airports'))!;
    const rows = await queryRows<{ row_count: string }>(conn, joined.sql);
    expect(rows.length).toBeGreaterThan(0);
  });

  it('renders JSON and YAML that round-trip, and Markdown with a section per part', () => {
    expect(JSON.parse(renderContext(doc, 'json'))).toEqual(doc);
    expect(parse(renderContext(doc, 'yaml'))).toEqual(doc);
    const md = renderContext(doc, 'markdown');
    for (const heading of ['# Context: flights', '## Tables', '### airports', '### flights', '## Relationships', '## Quality summary', '## Suggested queries']) {
      expect(md).toContain(`\n${heading}\n`.replace(/^\n# /, '# '));
    }
    expect(md).toContain('| `iata` | VARCHAR | key |');
    expect(md).toContain('```sql\nSELECT * FROM "typed_airports" LIMIT 10\n```');
    expect(() => renderContext(doc, 'xml' as never)).toThrow(/unknown format 'xml'/);
  });

  it('selects tables and modules', () => {
    const small = selectContext(doc, { tables: ['flights'], include_modules: ['tables', 'queries', 'relationships'] });
    expect(small.tables.map((t) => t.name)).toEqual(['flights']);
    expect(small.relationships).toEqual([]); // both ends must be kept
    expect(small.metrics).toEqual([]);
    expect(small.quality_summary).toBeNull();
    expect(small.ontology).toBeNull();
    expect(small.suggested_queries.length).toBeGreaterThan(0);
    for (const q of small.suggested_queries) expect(q.tables).toEqual(['flights']);
    expect(selectContext(doc)).toEqual(doc);
    expect(selectContext(doc, { tables: ['airports', 'flights'], include_modules: ['relationships'] }).relationships).toHaveLength(2);
    expect(() => selectContext(doc, { tables: ['nope'] })).toThrow(/unknown table 'nope' in source 'flights'; known: airports, flights/);
  });

  it('writes <home>/context/<source>.json and .md', () => {
    const home = mkdtempSync(join(tmpdir(), 'dataraum-home-'));
    try {
      const files = contextDocumentFile(doc, home);
      expect(files).toEqual({ json: join(home, 'context', 'flights.json'), markdown: join(home, 'context', 'flights.md') });
      expect(JSON.parse(readFileSync(files.json, 'utf8'))).toEqual(doc);
      expect(readFileSync(files.markdown, 'utf8')).toBe(renderContext(doc, 'markdown'));
      const odd = contextDocumentFile({ ...doc, source: '../evil/name' }, home);
      expect(odd.json).toBe(join(home, 'context', '__evil_name.json'));
      expect(existsSync(odd.markdown)).toBe(true);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});

describe('contextDocument: time series and metrics', () => {
  it('seattle weather: trend queries by month, timeliness, and every query runs', async () => {
    const doc = await documentOf(sourceOf('weather', await vegaTable(conn, 'weather', 'seattle-weather.csv')), loadOntology('base'));
    const weather = doc.tables[0]!;
    expect(weather.primary_time_column).toBe('date');
    expect(weather.columns.find((c) => c.name === 'date')!.temporal).toMatchObject({ granularity: 'day', min: '2012-01-01', max: '2015-12-31', completeness: 1, gaps: 0 });
    expect(weather.quality?.timeliness).toBeGreaterThan(0);
    expect(weather.columns.find((c) => c.name === 'weather')!.profile.values).toEqual(['drizzle', 'fog', 'rain', 'snow', 'sun']);
    expect(renderContext(doc, 'markdown')).toContain("- `weather` takes one of: `drizzle`, `fog`, `rain`, `snow`, `sun`");
    const trend = doc.suggested_queries.find((q) => q.category === 'trends')!;
    expect(trend.sql).toContain(`date_trunc('month', "date")`);
    const rows = await queryRows(conn, trend.sql);
    expect(rows).toHaveLength(48);
    await runsInDuckDB(doc);
  });

  it('a retail schema with quoted names: bound metrics become metric queries that run', async () => {
    const customers = await typedTable(conn, 'customers', `SELECT i::INTEGER AS customer_id, 'Customer ' || i AS "Customer Name", ['north', 'south', 'east'][1 + i % 3] AS region FROM range(1, 41) t(i)`);
    const orders = await typedTable(conn, 'orders', `
      SELECT i::INTEGER AS order_id, (1 + i % 40)::INTEGER AS customer_id, DATE '2024-01-01' + (i % 200)::INTEGER AS order_date,
             (10 + (i * 37) % 90)::DECIMAL(10, 2) AS "order total", ['online', 'store'][1 + i % 2] AS channel
      FROM range(1, 601) t(i)`);
    const doc = await documentOf(sourceOf('shop', customers, orders), loadOntology('retail'));
    expect(doc.metrics.length).toBeGreaterThan(0);
    expect(doc.suggested_queries.filter((q) => q.category === 'metrics')).toHaveLength(doc.metrics.length);
    expect(doc.domain_concepts.length).toBeGreaterThan(0);
    expect(doc.suggested_queries.map((q) => q.category)).toEqual(expect.arrayContaining(['overview', 'metrics', 'trends', 'segments', 'quality']));
    await runsInDuckDB(doc);
    const md = renderContext(doc, 'markdown');
    expect(md).toContain('## Metrics');
    expect(md).toContain('| `Customer Name` |');
  });

  it('movies: failing rules lead the quality summary and become warnings; queries over odd column names run', async () => {
    const doc = await documentOf(sourceOf('movies', await vegaTable(conn, 'movies', 'movies.json')), moviesOntology());
    const q = doc.quality_summary!;
    expect(q.rules_failed).toBeGreaterThanOrEqual(3);
    expect(q.failed_rules[0]).toMatchObject({ rule: 'movies.US Gross.not_null', severity: 'error', failed_records: 7 });
    expect(q.failed_rules.map((r) => r.rule)).toEqual(expect.arrayContaining(['movies.Running Time min.max_null_ratio', 'movies.Release Date.pattern', 'movies.IMDB Rating.range']));
    expect(doc.warnings).toContain('movies.US Gross.not_null fails on 7 of 3201 rows');
    const quality = doc.suggested_queries.find((s) => s.title === 'Missing values in movies')!;
    expect(quality.description).toContain('movies.US Gross.not_null');
    const [nulls] = await queryRows<Record<string, string>>(conn, quality.sql);
    expect(Number(nulls!['US Gross_nulls'])).toBe(7);
    await runsInDuckDB(doc);
    const md = renderContext(doc, 'markdown');
    expect(md).toContain('| movies.US Gross.not_null | error | 7 |');
    expect(parse(renderContext(doc, 'yaml'))).toEqual(doc);
  });
});
