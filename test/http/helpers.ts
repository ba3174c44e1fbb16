/**
 * Shared by the HTTP tests: a throwaway data root holding real vega files (and a CSV whose dates
 * read day-first and month-first alike), a server on a throwaway home, and polling a run.
 */
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect } from 'vitest';
import { buildServer, type ServerOptions } from '../../server/http/build-server.ts';
import type { App } from '../../server/http/server-context.ts';

export const REPO = resolve(import.meta.dirname, '..', '..');
export const VEGA = join(REPO, 'node_modules', 'vega-datasets', 'data');
export const BIN = join(REPO, 'bin', 'dataraum.mjs');

export interface Workspace {
  readonly dir: string;
  /** The data root: vega/ (airports.csv + flights-airport.csv) and orders.csv (three date columns, each ambiguous). */
  readonly data: string;
  readonly home: string;
}

export function workspace(prefix: string): Workspace {
  const dir = mkdtempSync(join(tmpdir(), `dataraum-http-${prefix}-`));
  const data = join(dir, 'data');
  mkdirSync(join(data, 'vega'), { recursive: true });
  for (const f of ['airports.csv', 'flights-airport.csv']) copyFileSync(join(VEGA, f), join(data, 'vega', f));
  // Month and day both in 1..12: no value tells day-first from month-first, so typing asks a person.
  const d = (i: number, k: number) => `${String(((i * k) % 12) + 1).padStart(2, '0')}/${String(((i * 7 + k) % 12) + 1).padStart(2, '0')}/2024`;
  const rows = ['order_id,ordered_on,shipped_on,paid_on,amount'];
  for (let i = 0; i < 120; i++) rows.push(`${i},${d(i, 1)},${d(i, 5)},${d(i, 11)},${(i % 97) + 0.5}`);
  writeFileSync(join(data, 'orders.csv'), `${rows.join('\n')}\n`);
  return { dir, data, home: join(dir, 'home') };
}

export function server(ws: Workspace, opts: Partial<ServerOptions> = {}): Promise<App> {
  return buildServer({ home: ws.home, dataRoots: [ws.data], token: '', ...opts });
}

/** GET /runs/:id until the run is no longer queued or running. */
export async function waitForRun(app: App, runId: string, timeoutMs = 90_000, headers: Record<string, string> = {}): Promise<any> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const res = await app.inject({ method: 'GET', url: `/runs/${runId}`, headers });
    expect(res.statusCode, res.body).toBe(200);
    const run = res.json();
    if (run.status !== 'queued' && run.status !== 'running') return run;
    if (Date.now() > until) throw new Error(`run ${runId} still ${run.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** Asserts a problem+json answer of `status` and returns its body. */
export function expectProblem(res: { statusCode: number; headers: Record<string, unknown>; body: string }, status: number): any {
  expect(res.statusCode, res.body).toBe(status);
  expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
  const body = JSON.parse(res.body);
  expect(body).toMatchObject({ status, type: expect.stringMatching(/^urn:dataraum:problem:/), title: expect.any(String), detail: expect.any(String), instance: expect.any(String) });
  expect(res.body).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/); // no stack trace
  return body;
}
