/**
 * Crash safety: a `dataraum run` killed with SIGKILL mid-run is finished by `run --resume` with the
 * same outputs as an uninterrupted run, and the metadata store holds no duplicated or half-written
 * rows.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDB } from '../../nodes/duckdb.ts';

const BIN = join(import.meta.dirname, '../../bin/dataraum.mjs');
let dir: string;
let csv: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dataraum-crash-'));
  csv = join(dir, 'orders.csv');
  const db = await openDuckDB(':memory:');
  // Big enough that profiling and type inference take a moment after staging finishes.
  await db.run(`COPY (SELECT i AS order_id, 'C' || (i % 5000) AS customer, (i % 97) * 1.25 AS amount,
    strftime(DATE '2020-01-01' + (i % 1000)::INTEGER, '%d/%m/%Y') AS ordered_on, CASE WHEN i % 3 = 0 THEN 'yes' ELSE 'no' END AS paid,
    lpad((i % 99999)::VARCHAR, 5, '0') AS zip, 'note ' || (i % 17) AS note, (i % 7) AS weekday
    FROM range(300000) t(i)) TO '${csv}' (HEADER)`);
});

function run(home: string, args: string[]) {
  return spawnSync(process.execPath, [BIN, 'run', csv, '--home', home, '--json', ...args], { encoding: 'utf8', timeout: 240_000 });
}

/**
 * What the run produced: tables, types, typed and quarantined rows, relationships. Ids and paths
 * differ per home; DuckDB's parallel float sums may differ in the last bits.
 */
function withoutIds(values: Record<string, Record<string, unknown>>) {
  const s = values.ingestSummary as { tables: { quality: number | null }[]; relationships: unknown; source: unknown };
  return { source: s.source, relationships: s.relationships, tables: s.tables.map((t) => ({ ...t, quality: t.quality === null ? null : Number(t.quality.toFixed(6)) })) };
}

function storeRows(home: string) {
  const db = new Database(join(home, 'metadata.sqlite'), { readonly: true });
  try {
    const one = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    return {
      sources: one('SELECT count(*) AS n FROM sources'),
      tables: one('SELECT count(*) AS n FROM tables'),
      columns: one('SELECT count(*) AS n FROM columns'),
      rawColumns: one("SELECT count(*) AS n FROM columns JOIN tables USING (table_id) WHERE layer = 'raw'"),
      profilesPerColumn: db.prepare('SELECT column_id, count(*) AS n FROM column_profiles GROUP BY column_id').all().map((r) => (r as { n: number }).n),
      duplicateCandidates: one('SELECT count(*) AS n FROM (SELECT column_id, data_type, count(*) c FROM type_candidates GROUP BY 1, 2 HAVING c > 1)'),
      candidateColumns: one('SELECT count(DISTINCT column_id) AS n FROM type_candidates'),
    };
  } finally {
    db.close();
  }
}

describe('crash safety', () => {
  let reference: { values: unknown; rows: ReturnType<typeof storeRows> };

  beforeAll(() => {
    const home = join(dir, 'reference');
    const res = run(home, []);
    expect(res.status, res.stderr).toBe(0);
    reference = { values: withoutIds(JSON.parse(res.stdout).values), rows: storeRows(home) };
  }, 300_000);

  afterAll(() => undefined);

  it('finishes a SIGKILLed run with --resume, same outputs, no duplicated or half-written rows', async () => {
    const home = join(dir, 'killed');
    const child = spawn(process.execPath, [BIN, 'run', csv, '--home', home, '--json'], { stdio: 'ignore' });
    const sqlite = join(home, 'metadata.sqlite');
    // Kill as soon as staging is recorded done: the later nodes are still running or queued.
    const killedAfter = await new Promise<string[]>((resolve, reject) => {
      const deadline = Date.now() + 180_000;
      const poll = setInterval(() => {
        if (Date.now() > deadline) { clearInterval(poll); child.kill('SIGKILL'); reject(new Error('staging never finished')); return; }
        let done: string[] = [];
        try {
          const db = new Database(sqlite, { readonly: true, fileMustExist: true });
          done = db.prepare("SELECT node_name FROM node_executions WHERE status IN ('done', 'cached')").all().map((r) => (r as { node_name: string }).node_name);
          db.close();
        } catch {
          return; // not created yet
        }
        if (done.includes('staging')) {
          child.kill('SIGKILL');
          clearInterval(poll);
          resolve(done);
        }
      }, 15);
    });
    await new Promise((r) => child.once('exit', r));
    expect(killedAfter).not.toContain('ingestSummary');

    const resumed = run(home, ['--resume']);
    expect(resumed.status, resumed.stderr).toBe(0);
    const out = JSON.parse(resumed.stdout);
    expect(withoutIds(out.values)).toEqual(reference.values);
    // Staging finished before the kill: the resumed run takes it from the cache.
    expect(out.nodes.find((n: { node: string }) => n.node === 'staging').cacheHit).toBe(true);

    const rows = storeRows(home);
    expect(rows.sources).toBe(reference.rows.sources);
    expect(rows.tables).toBe(reference.rows.tables);
    expect(rows.columns).toBe(reference.rows.columns);
    expect(rows.duplicateCandidates).toBe(0);
    expect(rows.candidateColumns).toBe(reference.rows.candidateColumns);
    // One profiling pass per column: the killed pass left nothing half-written.
    expect(rows.profilesPerColumn.every((n) => n === 1)).toBe(true);
    expect(rows.profilesPerColumn).toHaveLength(rows.rawColumns);

    const db = new Database(join(home, 'metadata.sqlite'), { readonly: true });
    const statuses = db.prepare('SELECT status, error_message FROM runs ORDER BY started_at').all() as { status: string; error_message: string | null }[];
    db.close();
    // The killed run's process is gone: the next `dataraum` to open the store marks it failed.
    expect(statuses).toEqual([
      { status: 'failed', error_message: `interrupted: the process that ran it (pid ${child.pid}) exited before it finished` },
      { status: 'completed', error_message: null },
    ]);
  }, 300_000);
});
