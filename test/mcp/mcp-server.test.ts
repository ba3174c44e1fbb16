/**
 * The MCP server end to end: a real ingest of two vega files, then `dataraum mcp` spawned over
 * stdio (and once over streamable HTTP) and driven with the SDK's Client.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = resolve(import.meta.dirname, '../..');
const BIN = join(REPO, 'bin/dataraum.mjs');
const DATA = join(REPO, 'node_modules/vega-datasets/data');

let dir: string;
let home: string;
let client: Client;

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [BIN, ...args], { cwd: REPO, maxBuffer: 16 << 20, env: { ...process.env, DATARAUM_DATABASE_URL: '' } }, (err, stdout, stderr) => {
      done({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

async function call(c: Client, name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> {
  return (await c.callTool({ name, arguments: args })) as CallToolResult;
}

function textOf(r: CallToolResult): string {
  return r.content.map((c) => (c.type === 'text' ? c.text : '')).join('');
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dataraum-mcp-'));
  home = join(dir, 'home');
  const folder = join(dir, 'vega');
  mkdirSync(folder);
  copyFileSync(join(DATA, 'airports.csv'), join(folder, 'airports.csv'));
  copyFileSync(join(DATA, 'flights-airport.csv'), join(folder, 'flights-airport.csv'));
  const ingest = await run(['run', folder, '--home', home, '--no-progress']);
  if (ingest.code !== 0) throw new Error(`ingest failed (${ingest.code}): ${ingest.stderr}\n${ingest.stdout}`);
  client = new Client({ name: 'dataraum-test', version: '1.0.0' });
  await client.connect(new StdioClientTransport({
    command: process.execPath, args: [BIN, 'mcp', '--home', home], cwd: REPO, stderr: 'pipe',
    env: { ...process.env, DATARAUM_DATABASE_URL: '' } as Record<string, string>,
  }));
}, 180_000);

afterAll(async () => {
  await client?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('dataraum mcp over stdio', () => {
  it('lists the five tools with input schemas', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['annotate', 'get_context', 'get_metrics', 'list_tables', 'query']);
    const query = tools.find((t) => t.name === 'query')!;
    expect(query.inputSchema.required).toEqual(['sql']);
  });

  it('list_tables: typed tables with row counts, columns, types and roles', async () => {
    const r = await call(client, 'list_tables');
    expect(r.isError).toBeFalsy();
    const { tables } = JSON.parse(textOf(r)) as { tables: { source: string; name: string; duckdbTable: string; rowCount: number; columns: { name: string; type: string; role: string | null }[] }[] };
    expect(tables.map((t) => t.name)).toEqual(['airports', 'flights_airport']);
    const airports = tables[0]!;
    expect(airports).toMatchObject({ source: 'vega', duckdbTable: 'typed_airports', rowCount: 3376 });
    expect(airports.columns.find((c) => c.name === 'latitude')?.type).toBe('DOUBLE');
    expect(airports.columns.find((c) => c.name === 'iata')?.role).toBe('key');
    expect(tables[1]!.rowCount).toBe(5366);
    // The roles the context document states: the relationships found make origin and destination foreign keys.
    const doc = JSON.parse(textOf(await call(client, 'get_context', { format: 'json' })));
    for (const column of ['origin', 'destination']) {
      expect(tables[1]!.columns.find((c) => c.name === column)?.role, column).toBe('foreign_key');
      expect(doc.tables[1].columns.find((c: { name: string }) => c.name === column).role, column).toBe('foreign_key');
    }
  });

  it('get_context: markdown by default, json on request, trimmed to tables and modules', async () => {
    const md = textOf(await call(client, 'get_context'));
    expect(md).toMatch(/^# Context: vega/);
    expect(md).toContain('### airports');
    expect(md).toContain('"typed_flights_airport"');
    const json = JSON.parse(textOf(await call(client, 'get_context', { format: 'json', tables: ['airports'], include_modules: ['tables', 'queries'] })));
    expect(json.source).toBe('vega');
    expect(json.tables.map((t: { name: string }) => t.name)).toEqual(['airports']);
    expect(json.relationships).toEqual([]);
    const bad = await call(client, 'get_context', { tables: ['nope'] });
    expect(bad.isError).toBe(true);
    expect(textOf(bad)).toMatch(/unknown table 'nope'.*known: airports, flights_airport/);
    const unknownSource = await call(client, 'get_context', { source: 'elsewhere' });
    expect(unknownSource.isError).toBe(true);
    expect(textOf(unknownSource)).toMatch(/unknown source 'elsewhere'; known sources: vega/);
  });

  it('get_context with another ontology rebinds the ontology section and metrics', async () => {
    const doc = JSON.parse(textOf(await call(client, 'get_context', { format: 'json', ontology: 'retail', include_modules: ['ontology', 'metrics'] })));
    expect(doc.ontology.name).toBe('retail');
    expect(doc.ontology.lineage).toEqual(['retail', 'base']);
    for (const m of doc.metrics as { sql: string }[]) expect((await call(client, 'query', { sql: m.sql })).isError).toBeFalsy();
    const bad = await call(client, 'get_context', { ontology: 'astrology' });
    expect(bad.isError).toBe(true);
    expect(textOf(bad)).toMatch(/unknown ontology 'astrology'/);
  });

  it('query: runs read-only SQL over the typed tables', async () => {
    const r = await call(client, 'query', { sql: 'SELECT count(*) AS n FROM typed_airports' });
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent).toMatchObject({ rows: [{ n: 3376 }], rowCount: 1, truncated: false });
    const capped = await call(client, 'query', { sql: 'SELECT iata FROM typed_airports ORDER BY iata', max_rows: 3 });
    expect(capped.structuredContent).toMatchObject({ rowCount: 3, truncated: true });
  });

  it.each([
    ['DROP TABLE typed_airports', /DROP statement/],
    ["SELECT * FROM read_csv('/etc/passwd')", /read_csv\(\) is not allowed/],
    ['SELECT * FROM raw_airports', /raw staging table/],
    ['SELECT 1; DELETE FROM typed_airports', /2 statements/],
    ["SELECT getenv('HOME')", /getenv\(\)/],
    ["COPY typed_airports TO '/tmp/out.csv'", /COPY statement/],
  ])('query refuses %s as a tool error', async (sql, reason) => {
    const r = await call(client, 'query', { sql });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(reason);
  });

  it('get_metrics: ontology metrics bound to real columns with SQL; unknown ontology is an error', async () => {
    const r = await call(client, 'get_metrics', { ontology: 'base' });
    expect(r.isError).toBeFalsy();
    const { sources } = JSON.parse(textOf(r)) as { sources: { source: string; ontology: string; metrics: { metric: string; sql: string }[] }[] };
    expect(sources.map((s) => s.source)).toEqual(['vega']);
    expect(sources[0]!.ontology).toBe('base');
    for (const m of sources[0]!.metrics) {
      const q = await call(client, 'query', { sql: m.sql });
      expect(q.isError, `${m.metric}: ${textOf(q)}`).toBeFalsy();
    }
    const bad = await call(client, 'get_metrics', { ontology: 'astrology' });
    expect(bad.isError).toBe(true);
    expect(textOf(bad)).toMatch(/unknown ontology 'astrology'; available: .*base/);
  });

  it('get_metrics binds through the stored annotations, as GET /metrics does: a column given a concept counts', async () => {
    const amounts = async () => {
      const { sources } = JSON.parse(textOf(await call(client, 'get_metrics', { ontology: 'base' }))) as { sources: { metrics: { metric: string; sql: string }[] }[] };
      return sources[0]!.metrics.filter((m) => m.metric === 'total_amount');
    };
    // Nothing in vega's airports is named like an amount...
    expect(await amounts()).toEqual([]);
    // ...until the store says a column is one (as an LLM-refined or a person's annotation would).
    const db = new Database(join(home, 'metadata.sqlite'));
    try {
      const updated = db.prepare(`UPDATE semantic_annotations SET ontology_term = 'amount'
        WHERE column_id = (SELECT c.column_id FROM columns c JOIN tables t USING (table_id) WHERE t.layer = 'typed' AND t.table_name = 'airports' AND c.column_name = 'latitude')`).run();
      expect(updated.changes).toBe(1);
      const bound = await amounts();
      expect(bound).toHaveLength(1);
      expect(bound[0]!.sql).toContain('"latitude"');
      const q = await call(client, 'query', { sql: bound[0]!.sql });
      expect(q.isError, textOf(q)).toBeFalsy();
    } finally {
      db.prepare(`UPDATE semantic_annotations SET ontology_term = NULL
        WHERE column_id = (SELECT c.column_id FROM columns c JOIN tables t USING (table_id) WHERE t.layer = 'typed' AND t.table_name = 'airports' AND c.column_name = 'latitude')`).run();
      db.close();
    }
  });

  it('annotate: writes a manual annotation seen by list_tables and get_context', async () => {
    const r = await call(client, 'annotate', { table: 'airports', column: 'state', business_name: 'US state', description: 'Two-letter postal code of the state', semantic_role: 'dimension' });
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(JSON.parse(textOf(r)).annotation).toMatchObject({ source: 'vega', table: 'airports', column: 'state', businessName: 'US state', semanticRole: 'dimension', annotationSource: 'manual' });
    const { tables } = JSON.parse(textOf(await call(client, 'list_tables')));
    const state = tables[0].columns.find((c: { name: string }) => c.name === 'state');
    expect(state).toMatchObject({ businessName: 'US state', description: 'Two-letter postal code of the state', role: 'dimension', annotationSource: 'manual' });
    const doc = JSON.parse(textOf(await call(client, 'get_context', { format: 'json', tables: ['airports'] })));
    expect(doc.tables[0].columns.find((c: { name: string }) => c.name === 'state')).toMatchObject({ business_name: 'US state', role: 'dimension' });
    expect(textOf(await call(client, 'get_context', { tables: ['airports'] }))).toContain('US state');
  });

  it('annotate: a bad role, an unknown table or column are tool errors that say what exists', async () => {
    const role = await call(client, 'annotate', { table: 'airports', column: 'state', semantic_role: 'boss' });
    expect(role.isError).toBe(true);
    expect(textOf(role)).toMatch(/'boss' is not a role; choose one of measure, dimension, key/);
    const table = await call(client, 'annotate', { table: 'planes', column: 'x', business_name: 'y' });
    expect(table.isError).toBe(true);
    expect(textOf(table)).toMatch(/unknown table 'planes'.*vega\.airports/);
    const column = await call(client, 'annotate', { table: 'typed_airports', column: 'altitude', business_name: 'y' });
    expect(column.isError).toBe(true);
    expect(textOf(column)).toMatch(/unknown column 'altitude' in table 'airports'.*iata, name/);
  });

  it('serves the context document as a listed resource, in markdown and json', async () => {
    const { resources } = await client.listResources();
    expect(resources.map((r) => r.uri)).toEqual(['dataraum://context/vega']);
    const read = await client.readResource({ uri: 'dataraum://context/vega' });
    expect(read.contents.map((c) => c.mimeType)).toEqual(['text/markdown', 'application/json']);
    const texts = read.contents.map((c) => ('text' in c ? c.text : ''));
    expect(texts[0]).toMatch(/^# Context: vega/);
    expect(JSON.parse(texts[1]!).tables).toHaveLength(2);
    // The client's mistake: invalid params (-32602), as the SDK answers an unknown URI; not an internal error.
    await expect(client.readResource({ uri: 'dataraum://context/nope' })).rejects.toMatchObject({ code: -32602, message: expect.stringMatching(/unknown source 'nope'/) });
  });
});

describe('dataraum mcp --http', () => {
  let child: ChildProcess;

  afterAll(() => {
    child?.kill('SIGTERM');
  });

  it('serves the same tools over streamable HTTP on 127.0.0.1', async () => {
    child = spawn(process.execPath, [BIN, 'mcp', '--http', '--port', '0', '--home', home], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DATARAUM_DATABASE_URL: '' } });
    const url = await new Promise<string>((done, fail) => {
      let out = '';
      let err = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(out);
        if (m) done(m[1]!);
      });
      child.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
      child.once('exit', (code) => fail(new Error(`mcp --http exited ${code}: ${err}`)));
    });
    const http = new Client({ name: 'dataraum-http-test', version: '1.0.0' });
    await http.connect(new StreamableHTTPClientTransport(new URL(url)));
    try {
      const { tools } = await http.listTools();
      expect(tools).toHaveLength(5);
      const r = await call(http, 'query', { sql: 'SELECT count(*) AS n FROM typed_flights_airport' });
      expect(r.structuredContent).toMatchObject({ rows: [{ n: 5366 }] });
      const refused = await call(http, 'query', { sql: "SELECT * FROM 'https://example.com/x.csv'" });
      expect(refused.isError).toBe(true);
      expect(textOf(refused)).toMatch(/URL/);
    } finally {
      await http.close();
    }
  }, 60_000);
});
