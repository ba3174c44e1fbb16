/**
 * The HTTP API over `inject`, on one real ingest of vega's airports.csv + flights-airport.csv done
 * through `POST /sources` in beforeAll: every read route's happy path, the context document in
 * three formats, metrics, manual annotations surviving a re-run, validation errors as
 * problem+json, and an OpenAPI document that lists every route.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { App } from '../../server/http/server-context.ts';
import { expectProblem, server, waitForRun, workspace, type Workspace } from './helpers.ts';

let ws: Workspace;
let app: App;
let firstRun: any;
let accepted: any;
let location: string | undefined;
let typedAirports: any;

beforeAll(async () => {
  ws = workspace('api');
  app = await server(ws);
  const res = await app.inject({ method: 'POST', url: '/sources', payload: { path: 'vega', name: 'vega' } });
  expect(res.statusCode, res.body).toBe(202);
  accepted = res.json();
  location = res.headers.location as string | undefined;
  firstRun = await waitForRun(app, accepted.run_id);
  const tables = (await app.inject({ method: 'GET', url: '/sources/vega/tables?layer=typed' })).json();
  typedAirports = tables.tables.find((t: any) => t.name === 'airports');
});

afterAll(async () => {
  await app?.close();
  if (ws) rmSync(ws.dir, { recursive: true, force: true });
});

describe('sources and runs', () => {
  it('POST /sources answers 202 with the run id and its Location, and the run completes in the background', () => {
    expect(accepted).toMatchObject({ run_id: expect.any(String), source: 'vega', location: `/runs/${accepted.run_id}` });
    expect(location).toBe(`/runs/${accepted.run_id}`);
    expect(firstRun).toMatchObject({ run_id: accepted.run_id, status: 'completed', dataflow: 'ingest', source: 'vega', error: null, checkpoint_id: null });
    const nodes = firstRun.nodes.map((n: any) => n.node);
    for (const n of ['staging', 'profiling', 'typeResolution']) expect(nodes).toContain(n);
    expect(firstRun.nodes.every((n: any) => n.status === 'done' || n.status === 'cached')).toBe(true);
  });

  it('GET /sources lists the source with its last run', async () => {
    const res = await app.inject({ method: 'GET', url: '/sources' });
    expect(res.statusCode).toBe(200);
    const vega = res.json().sources.find((s: any) => s.name === 'vega');
    expect(vega).toMatchObject({ source_type: 'folder', last_run: { status: 'completed' } });
    expect(vega.config.path).toBe(`${ws.data}/vega`);
  });

  it('GET /sources/:name/tables shows raw, typed and quarantine tables with rows, columns and resolved types', async () => {
    const res = await app.inject({ method: 'GET', url: '/sources/vega/tables' });
    expect(res.statusCode).toBe(200);
    const tables = res.json().tables;
    const layers = tables.filter((t: any) => t.name === 'airports').map((t: any) => t.layer).sort();
    expect(layers).toEqual(['quarantine', 'raw', 'typed']);
    expect(typedAirports.row_count).toBe(3376);
    expect(typedAirports.columns.map((c: any) => c.name)).toEqual(['iata', 'name', 'city', 'state', 'country', 'latitude', 'longitude']);
    expect(typedAirports.columns.find((c: any) => c.name === 'latitude').resolved_type).toMatch(/DOUBLE|DECIMAL/);
    const flights = tables.find((t: any) => t.name === 'flights_airport' && t.layer === 'typed');
    expect(flights.row_count).toBe(5366);
  });

  it('GET /sources/:name/tables of an unknown source is a 404 naming the known ones', async () => {
    const body = expectProblem(await app.inject({ method: 'GET', url: '/sources/vegga/tables' }), 404);
    expect(body.detail).toContain("did you mean 'vega'");
  });

  it('POST /runs runs a pipeline: profile-only stages and profiles, nothing more', async () => {
    const res = await app.inject({ method: 'POST', url: '/runs', payload: { source: 'vega', pipeline: 'profile-only' } });
    expect(res.statusCode, res.body).toBe(202);
    const run = await waitForRun(app, res.json().run_id);
    expect(run.status).toBe('completed');
    const nodes = run.nodes.map((n: any) => n.node);
    expect(nodes).toContain('profiling');
    expect(nodes).not.toContain('typeResolution');
    const bad = expectProblem(await app.inject({ method: 'POST', url: '/runs', payload: { source: 'vega', pipeline: 'nightly' } }), 400);
    expect(bad.detail).toContain('config/pipelines');
    expectProblem(await app.inject({ method: 'POST', url: '/runs', payload: { source: 'vega', pipeline: '../etc' } }), 400);
    expectProblem(await app.inject({ method: 'POST', url: '/runs', payload: { source: 'nope' } }), 404);
  });

  it('a run submitted while another process writes to the home waits for it, naming that process, then runs', async () => {
    const other = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    const lock = join(ws.home, 'writer.lock');
    try {
      writeFileSync(lock, JSON.stringify({ pid: other.pid, host: hostname(), command: 'dataraum run big.csv', startedAt: '2026-11-22T10:00:00.000Z' }));
      const res = await app.inject({ method: 'POST', url: '/runs', payload: { source: 'vega', pipeline: 'profile-only' } });
      expect(res.statusCode, res.body).toBe(202);
      const runId = res.json().run_id;
      // Queued while the other writer holds the home: the run says whom it waits for.
      let run: any;
      for (const until = Date.now() + 30_000; Date.now() < until; await new Promise((r) => setTimeout(r, 100))) {
        run = (await app.inject({ method: 'GET', url: `/runs/${runId}` })).json();
        if (run.waiting_for) break;
      }
      expect(run).toMatchObject({
        status: 'queued', error: null, finished_at: null,
        waiting_for: `${ws.home} is in use: process ${other.pid} on ${hostname()} (\`dataraum run big.csv\`, since 2026-11-22T10:00:00.000Z) is writing to it; wait for it to finish`,
      });
      await new Promise((r) => setTimeout(r, 1200));
      expect((await app.inject({ method: 'GET', url: `/runs/${runId}` })).json()).toMatchObject({ status: 'queued' });
      expect(existsSync(lock)).toBe(true);
      // The other writer finishes: the run takes the home and completes.
      rmSync(lock);
      expect(await waitForRun(app, runId)).toMatchObject({ status: 'completed', waiting_for: null });
    } finally {
      other.kill();
      rmSync(lock, { force: true });
    }
  });

  it('closing the server stops a run waiting for the home: it fails saying so, and the close does not hang', async () => {
    const own = workspace('api-close');
    const logged: string[] = [];
    const ownApp = await server(own, { logger: { level: 'error', stream: { write: (line: string) => logged.push(line) } } });
    const lock = join(own.home, 'writer.lock');
    try {
      writeFileSync(lock, JSON.stringify({ pid: process.pid, host: hostname(), command: 'dataraum run big.csv', startedAt: '2026-11-22T10:00:00.000Z' }));
      const res = await ownApp.inject({ method: 'POST', url: '/sources', payload: { path: 'orders.csv' } });
      expect(res.statusCode, res.body).toBe(202);
      const runId = res.json().run_id;
      for (const until = Date.now() + 30_000; Date.now() < until && !(await ownApp.inject({ method: 'GET', url: `/runs/${runId}` })).json().waiting_for; ) await new Promise((r) => setTimeout(r, 100));
      await ownApp.close();
      const failed = logged.map((l) => JSON.parse(l)).find((l) => l.runId === runId);
      expect(failed?.msg).toBe(`background ingest run ${runId} failed`);
      expect(failed?.err?.message).toMatch(/^stopped waiting for .*home: .*home is in use: process \d+ on .* \(`dataraum run big\.csv`, since 2026-11-22T10:00:00\.000Z\) is writing to it/);
      expect(existsSync(lock)).toBe(true);
    } finally {
      rmSync(own.dir, { recursive: true, force: true });
    }
  });

  it('GET /runs/:id of an unknown run is a 404, of a malformed id a 400 with the zod issue', async () => {
    expectProblem(await app.inject({ method: 'GET', url: `/runs/${crypto.randomUUID()}` }), 404);
    const bad = expectProblem(await app.inject({ method: 'GET', url: '/runs/not-a-uuid' }), 400);
    expect(bad.issues[0].path).toEqual(['params', 'runId']);
  });
});

describe('profiles and annotations', () => {
  it('GET /tables/:tableId/profiles gives the latest profile of every column', async () => {
    const raw = (await app.inject({ method: 'GET', url: '/sources/vega/tables?layer=raw' })).json().tables.find((t: any) => t.name === 'airports');
    const res = await app.inject({ method: 'GET', url: `/tables/${raw.table_id}/profiles` });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ table: 'airports', layer: 'raw' });
    const iata = body.profiles.find((p: any) => p.column_name === 'iata');
    expect(iata).toMatchObject({ total_count: 3376, null_count: 0, distinct_count: 3376 });
    expect(body.profiles).toHaveLength(7);
    expect(body).toMatchObject({ profiled_table_id: raw.table_id, profiled_layer: 'raw' });
  });

  it('GET /tables/:tableId/profiles of a typed table answers with its raw table\'s profiles, saying so', async () => {
    const tables = (await app.inject({ method: 'GET', url: '/sources/vega/tables' })).json().tables.filter((t: any) => t.name === 'airports');
    const raw = tables.find((t: any) => t.layer === 'raw');
    const typed = tables.find((t: any) => t.layer === 'typed');
    const body = (await app.inject({ method: 'GET', url: `/tables/${typed.table_id}/profiles` })).json();
    expect(body).toMatchObject({ table_id: typed.table_id, layer: 'typed', profiled_table_id: raw.table_id, profiled_layer: 'raw' });
    expect(body.profiles.map((p: any) => p.column_name)).toEqual(['iata', 'name', 'city', 'state', 'country', 'latitude', 'longitude']);
  });

  it('GET /sources/:name/tables lists a quarantine table\'s columns: row number, the raw values, the failed columns', async () => {
    const [q] = (await app.inject({ method: 'GET', url: '/sources/vega/tables?layer=quarantine' })).json().tables.filter((t: any) => t.name === 'airports');
    expect(q.columns.map((c: any) => [c.name, c.raw_type])).toEqual([
      ['_row_number', 'BIGINT'], ['iata', 'VARCHAR'], ['name', 'VARCHAR'], ['city', 'VARCHAR'], ['state', 'VARCHAR'], ['country', 'VARCHAR'],
      ['latitude', 'VARCHAR'], ['longitude', 'VARCHAR'], ['_failed_columns', 'VARCHAR[]'],
    ]);
  });

  it('PUT /columns/:id/annotation stores a manual annotation that a re-run keeps', async () => {
    const city = typedAirports.columns.find((c: any) => c.name === 'city');
    const res = await app.inject({
      method: 'PUT', url: `/columns/${city.column_id}/annotation`, headers: { 'x-dataraum-user': 'ana' },
      payload: { business_name: 'Served city', description: 'The city the airport serves (not where it is)', semantic_role: 'dimension', entity_type: 'city' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ business_name: 'Served city', annotation_source: 'manual', annotated_by: 'ana', semantic_role: 'dimension' });
    // Shown at once, before any re-run: POST /context lays the store's manual annotations over the written document.
    const cityIn = (doc: any) => doc.tables.find((t: any) => t.name === 'airports').columns.find((c: any) => c.name === 'city');
    const written = () => JSON.parse(readFileSync(join(ws.home, 'context', 'vega.json'), 'utf8'));
    expect(cityIn(written()).business_name).toBe('City');
    const now = await app.inject({ method: 'POST', url: '/context', payload: { source: 'vega', tables: ['airports'] } });
    expect(now.statusCode, now.body).toBe(200);
    expect(cityIn(now.json())).toMatchObject({ business_name: 'Served city', description: 'The city the airport serves (not where it is)', role: 'dimension' });

    // New data, so the re-run recomputes (not from the cache) and writes its annotations again.
    appendFileSync(join(ws.data, 'vega', 'airports.csv'), 'ZZZ,Test Field,Springfield,IL,USA,40.0,-89.0\n');
    const again = await app.inject({ method: 'POST', url: '/runs', payload: { source: 'vega' } });
    expect(again.statusCode, again.body).toBe(202);
    expect(again.headers.location).toBe(`/runs/${again.json().run_id}`);
    const rerun = await waitForRun(app, again.json().run_id);
    expect(rerun.status).toBe('completed');
    expect(rerun.nodes.find((n: any) => n.node === 'storedSemanticAnnotations')).toMatchObject({ status: 'done', cache_hit: false });
    const after = (await app.inject({ method: 'GET', url: '/sources/vega/tables?layer=typed' })).json().tables.find((t: any) => t.name === 'airports');
    expect(after.row_count).toBe(3377);
    expect(after.columns.find((c: any) => c.name === 'city').column_id).toBe(city.column_id);

    const db = new Database(`${ws.home}/metadata.sqlite`, { readonly: true });
    const row = db.prepare('SELECT business_name, business_description, annotation_source, annotated_by FROM semantic_annotations WHERE column_id = ?').get(city.column_id);
    db.close();
    expect(row).toEqual({ business_name: 'Served city', business_description: 'The city the airport serves (not where it is)', annotation_source: 'manual', annotated_by: 'ana' });
    // The re-run wrote it into the document itself (the .json and .md files).
    expect(cityIn(written())).toMatchObject({ business_name: 'Served city', role: 'dimension' });
    expect(readFileSync(join(ws.home, 'context', 'vega.md'), 'utf8')).toContain('| Served city |');
  });

  it('PUT /columns/:id/annotation validates its body and its column', async () => {
    const city = typedAirports.columns.find((c: any) => c.name === 'city');
    const empty = expectProblem(await app.inject({ method: 'PUT', url: `/columns/${city.column_id}/annotation`, payload: {} }), 400);
    expect(empty.detail).toContain('at least one of');
    const role = expectProblem(await app.inject({ method: 'PUT', url: `/columns/${city.column_id}/annotation`, payload: { semantic_role: 'boss' } }), 400);
    expect(role.issues[0].path).toEqual(['body', 'semantic_role']);
    // A name is a label, not a document: 100,000 characters are refused.
    const long = expectProblem(await app.inject({ method: 'PUT', url: `/columns/${city.column_id}/annotation`, payload: { business_name: 'x'.repeat(100_000) } }), 400);
    expect(long.issues[0].path).toEqual(['body', 'business_name']);
    expectProblem(await app.inject({ method: 'PUT', url: `/columns/${crypto.randomUUID()}/annotation`, payload: { business_name: 'x' } }), 404);
  });
});

describe('context and metrics', () => {
  it('POST /context answers the document as JSON, trimmed to tables and modules', async () => {
    const res = await app.inject({ method: 'POST', url: '/context', payload: { source: 'vega', tables: ['airports'], include_modules: ['tables', 'quality'] } });
    expect(res.statusCode, res.body).toBe(200);
    const doc = res.json();
    expect(doc.source).toBe('vega');
    expect(doc.tables.map((t: any) => t.name)).toEqual(['airports']);
    expect(doc.relationships).toEqual([]);
    expect(doc.suggested_queries).toEqual([]);
  });

  it('POST /context renders Markdown and YAML', async () => {
    const md = await app.inject({ method: 'POST', url: '/context', payload: { source: 'vega', format: 'markdown' } });
    expect(md.statusCode).toBe(200);
    expect(md.headers['content-type']).toMatch(/^text\/markdown/);
    expect(md.body).toMatch(/^# Context: vega/);
    expect(md.body).toContain('### flights_airport');
    const yaml = await app.inject({ method: 'POST', url: '/context', payload: { source: 'vega', format: 'yaml', include_modules: ['tables'] } });
    expect(yaml.headers['content-type']).toMatch(/^application\/yaml/);
    expect(parseYaml(yaml.body).tables.map((t: any) => t.name).sort()).toEqual(['airports', 'flights_airport']);
  });

  it('POST /context refuses unknown tables, modules and sources', async () => {
    const t = expectProblem(await app.inject({ method: 'POST', url: '/context', payload: { source: 'vega', tables: ['planes'] } }), 400);
    expect(t.detail).toBe("unknown table 'planes' in source 'vega'; known: airports, flights_airport");
    const m = expectProblem(await app.inject({ method: 'POST', url: '/context', payload: { source: 'vega', include_modules: ['gossip'] } }), 400);
    expect(m.issues[0].path).toEqual(['body', 'include_modules', '0']);
    expectProblem(await app.inject({ method: 'POST', url: '/context', payload: { source: 'nope' } }), 404);
    expectProblem(await app.inject({ method: 'POST', url: '/context', payload: { source: 'vega', format: 'pdf' } }), 400);
  });

  it('GET /metrics binds the ontology\'s metrics to the typed tables', async () => {
    const res = await app.inject({ method: 'GET', url: '/metrics?source=vega&ontology=operations' });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.ontology).toBe('operations');
    expect(body.matched_concepts.airports).toMatchObject({ latitude: 'latitude', longitude: 'longitude' });
    for (const m of body.metrics) {
      expect(m.sql).toMatch(/^SELECT .+ FROM "typed_/);
      expect(m.bindings.length).toBeGreaterThan(0);
    }
    const unknown = expectProblem(await app.inject({ method: 'GET', url: '/metrics?source=vega&ontology=astrology' }), 404);
    expect(unknown.detail).toContain("Unknown ontology 'astrology'");
    expectProblem(await app.inject({ method: 'GET', url: '/metrics' }), 400);
  });
});

describe('errors and the OpenAPI document', () => {
  it('a background run that fails is recorded as failed and the server keeps serving', async () => {
    writeFileSync(join(ws.data, 'broken.parquet'), 'this is not parquet');
    const res = await app.inject({ method: 'POST', url: '/sources', payload: { path: 'broken.parquet' } });
    expect(res.statusCode, res.body).toBe(202);
    const run = await waitForRun(app, res.json().run_id);
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/broken/);
    expect(run.nodes.some((n: any) => n.status === 'failed')).toBe(true);
    expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });

  it('a server-side failure is a 500 problem without internals', async () => {
    mkdirSync(join(ws.home, 'context'), { recursive: true });
    writeFileSync(join(ws.home, 'context', 'mangled.json'), '{"source": "mangled", "tables": 3}');
    const body = expectProblem(await app.inject({ method: 'POST', url: '/context', payload: { source: 'mangled' } }), 500);
    expect(body.detail).toContain('does not match the context schema');
    rmSync(join(ws.home, 'context', 'mangled.json'));
  });

  it('bad JSON, unknown routes and invalid source configs are problem+json', async () => {
    const badJson = await app.inject({ method: 'POST', url: '/sources', headers: { 'content-type': 'application/json' }, payload: '{"path":' });
    expectProblem(badJson, 400);
    expectProblem(await app.inject({ method: 'GET', url: '/nowhere' }), 404);
    const cfg = expectProblem(await app.inject({ method: 'POST', url: '/sources', payload: { path: 'orders.csv', source_type: 'csv', delimter: ';' } }), 400);
    expect(cfg.issues.map((i: any) => i.path.join('.'))).toContain('body.delimter');
    const missing = expectProblem(await app.inject({ method: 'POST', url: '/sources', payload: { path: 'nothing-here.csv' } }), 400);
    expect(missing.detail).toContain('does not exist');
  });

  it('GET /openapi.json lists every route with its methods', async () => {
    const res = await app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops as object).map((m) => `${m.toUpperCase()} ${path}`)).sort();
    expect(routes).toEqual([
      'GET /health', 'GET /metrics', 'GET /reviews', 'GET /runs/{runId}', 'GET /sources', 'GET /sources/{name}/tables', 'GET /tables/{tableId}/profiles',
      'POST /checkpoints/{checkpointId}/resume', 'POST /context', 'POST /reviews/bulk', 'POST /reviews/{reviewId}/approve', 'POST /reviews/{reviewId}/modify',
      'POST /reviews/{reviewId}/reject', 'POST /runs', 'POST /runs/{runId}/resume', 'POST /sources', 'PUT /columns/{columnId}/annotation',
    ]);
    expect(doc.paths['/sources'].post.requestBody.content['application/json'].schema.properties).toHaveProperty('path');
    expect(doc.paths['/runs/{runId}'].get.responses).toHaveProperty('404');
  });
});
