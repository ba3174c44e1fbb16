/**
 * Over a real socket: the API listening on 127.0.0.1 (port 0), driven with fetch (auth on) through
 * an ingest to its context document. Then the CLI: `dataraum context` prints that document, and
 * `dataraum serve` starts, answers /health and stops on SIGTERM.
 */
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../server/http/server-context.ts';
import { BIN, REPO, server, workspace, type Workspace } from './helpers.ts';

let ws: Workspace;
let app: App | undefined;
const TOKEN = 'socket-token-9a';

beforeAll(() => {
  ws = workspace('listen');
});

afterAll(async () => {
  await app?.close();
  if (ws) rmSync(ws.dir, { recursive: true, force: true });
});

function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...extra };
  for (const k of ['DATARAUM_DATABASE_URL', 'DATARAUM_HOME', 'DATARAUM_API_TOKEN']) if (!(k in extra)) delete env[k];
  return env;
}

describe('over a listening socket', () => {
  it('ingests with fetch, polls the run to completion and reads the context document', async () => {
    app = await server(ws, { token: TOKEN });
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };

    expect(await (await fetch(`${base}/health`)).json()).toEqual({ status: 'ok', store: 'sqlite' });
    const denied = await fetch(`${base}/sources`);
    expect(denied.status).toBe(401);
    expect(denied.headers.get('content-type')).toMatch(/^application\/problem\+json/);

    const started = await fetch(`${base}/sources`, { method: 'POST', headers: auth, body: JSON.stringify({ path: 'vega', name: 'vega' }) });
    expect(started.status).toBe(202);
    const location = started.headers.get('location')!;
    expect(location).toMatch(/^\/runs\/[0-9a-f-]{36}$/);
    let run: any;
    for (let i = 0; i < 600; i++) {
      run = await (await fetch(`${base}${location}`, { headers: auth })).json();
      if (run.status !== 'queued' && run.status !== 'running') break;
      await new Promise((r) => setTimeout(r, 150));
    }
    expect(run.status).toBe('completed');

    const md = await fetch(`${base}/context`, { method: 'POST', headers: auth, body: JSON.stringify({ source: 'vega', format: 'markdown', tables: ['airports'] }) });
    expect(md.status).toBe(200);
    const text = await md.text();
    expect(text).toMatch(/^# Context: vega/);
    expect(text).toContain('### airports');
    expect(text).not.toContain('### flights_airport');
    await app.close();
    app = undefined;
  });
});

describe('the CLI', () => {
  it('dataraum context prints the only source\'s document, trimmed, in the format asked', async () => {
    const run = (args: string[]) => new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, [BIN, 'context', ...args, '--home', ws.home], { cwd: REPO, env: childEnv() }, (err, stdout, stderr) =>
        resolve({ code: err ? Number((err as { code?: number }).code ?? -1) : 0, stdout, stderr }));
    });
    const json = await run(['--format', 'json', '--tables', 'flights_airport', '--modules', 'tables']);
    expect(json.code, json.stderr).toBe(0);
    const doc = JSON.parse(json.stdout);
    expect(doc.source).toBe('vega');
    expect(doc.tables.map((t: any) => t.name)).toEqual(['flights_airport']);
    const md = await run(['--source', 'vega']);
    expect(md.stdout).toMatch(/^# Context: vega/);
    const unknown = await run(['--source', 'nope']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("no context document for source 'nope'");
    expect(unknown.stderr).toContain('documents exist for: vega');
    expect((await run(['--format', 'pdf'])).code).toBe(2);
  });

  it('dataraum serve listens, answers /health and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--home', ws.home], { cwd: REPO, env: childEnv({ DATARAUM_DATA_ROOTS: ws.data }) });
    try {
      const url = await listeningUrl(child);
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(await (await fetch(`${url}/health`)).json()).toEqual({ status: 'ok', store: 'sqlite' });
      const sources = (await (await fetch(`${url}/sources`)).json()) as { sources: { name: string }[] };
      expect(sources.sources.map((s) => s.name)).toEqual(['vega']);
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });
});

/** The URL `dataraum serve` prints once it listens. */
function listeningUrl(child: ChildProcessWithoutNullStreams): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += String(d);
      const m = /listening on (http:\/\/\S+?)(?: |\n)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.stderr.on('data', (d) => { err += String(d); });
    child.on('exit', (code) => reject(new Error(`serve exited with ${code} before listening: ${out}${err}`)));
    setTimeout(() => reject(new Error(`serve did not print its URL in 30 s: ${out}${err}`)), 30_000);
  });
}

describe('a server killed mid-run', () => {
  it('leaves a run that the next server reports as failed (interrupted), not running forever', async () => {
    const killed = workspace('killed');
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--home', killed.home], { cwd: REPO, env: childEnv({ DATARAUM_DATA_ROOTS: killed.data }) });
    let next: App | undefined;
    try {
      const url = await listeningUrl(child);
      const started = await fetch(`${url}/sources`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ path: 'vega', name: 'vega' }) });
      expect(started.status).toBe(202);
      const runId = started.headers.get('location')!.split('/').pop()!;
      // Kill once the run is recorded and a node has finished: the rest is still to do.
      const sqlite = join(killed.home, 'metadata.sqlite');
      for (let i = 0; ; i++) {
        const db = new Database(sqlite, { readonly: true, fileMustExist: true });
        const n = (db.prepare("SELECT count(*) AS n FROM node_executions e JOIN runs r USING (run_id) WHERE r.run_id = ? AND r.status = 'running'").get(runId) as { n: number }).n;
        db.close();
        if (n > 0) break;
        if (i > 600) throw new Error('the run never recorded a node');
        await new Promise((r) => setTimeout(r, 50));
      }
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;

      next = await server(killed);
      const res = await next.inject({ method: 'GET', url: `/runs/${runId}` });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ status: 'failed', error: `interrupted: the process that ran it (pid ${child.pid}) exited before it finished` });
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await next?.close();
      rmSync(killed.dir, { recursive: true, force: true });
    }
  }, 120_000);
});
