/**
 * The ingest's type review, end to end through the CLI: a run pauses on a column it can't type
 * with confidence, a person answers in the review queue, `resume --from-reviews` finishes in a new
 * process, and the person's decision is applied again on later runs without asking.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDuckDB, queryRows } from '../../nodes/duckdb.ts';

const BIN = join(import.meta.dirname, '../../bin/dataraum.mjs');
let dir: string;
let csv: string;

function cli(home: string, ...args: string[]) {
  const res = spawnSync(process.execPath, [BIN, ...args, '--home', home], { encoding: 'utf8', timeout: 120_000 });
  return { code: res.status, out: res.stdout, err: res.stderr };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dataraum-review-'));
  csv = join(dir, 'orders.csv');
  // Month and day both in 1..12: no value tells day-first from month-first.
  const rows = ['order_id,ordered_on,amount'];
  for (let i = 0; i < 300; i++) rows.push(`${i},${String((i % 12) + 1).padStart(2, '0')}/${String(((i * 7) % 12) + 1).padStart(2, '0')}/2024,${(i % 97) + 0.5}`);
  writeFileSync(csv, rows.join('\n') + '\n');
});

describe('ingest type review', () => {
  it('pauses, takes a person\'s answer, resumes in a new process and remembers the answer', async () => {
    const home = join(dir, 'home');
    const first = cli(home, 'run', csv, '--json', '--no-progress');
    expect(first.code, first.err).toBe(3);
    const paused = JSON.parse(first.out);
    expect(paused.status).toBe('pending_review');
    expect(paused.checkpoint.items.map((i: { itemId: string }) => i.itemId)).toEqual(['orders.ordered_on']);
    const checkpointId = paused.checkpoint.checkpointId as string;
    const pausedAt = Date.now();

    const list = JSON.parse(cli(home, 'review', 'list', '--checkpoint', checkpointId, '--json').out);
    const items = Array.isArray(list) ? list : list.items;
    expect(items).toHaveLength(1);
    const modified = cli(home, 'review', 'modify', items[0].reviewId, '--by', 'ana',
      '--value', JSON.stringify({ decidedType: 'DATE', format: { kind: 'date', strptime: '%d/%m/%Y' }, reason: 'EU supplier: day first' }));
    expect(modified.code, modified.err).toBe(0);

    const waited = Date.now() - pausedAt;
    const resumed = cli(home, 'resume', checkpointId, '--from-reviews', '--json', '--no-progress');
    expect(resumed.code, resumed.err).toBe(0);
    const ran = JSON.parse(resumed.out).nodes?.map?.((n: { node: string }) => n.node) ?? [];
    // Nothing before the gate ran again.
    for (const node of ['staging', 'profiling', 'typeCandidates', 'autoTypeDecisions']) expect(ran).not.toContain(node);

    const db = new Database(join(home, 'metadata.sqlite'), { readonly: true });
    // The run's duration is the time it ran, not the time it waited for the review.
    const run = db.prepare('SELECT status, started_at, finished_at, duration_ms FROM runs').get() as { status: string; started_at: string; finished_at: string; duration_ms: number };
    expect(run.status).toBe('completed');
    const wall = new Date(run.finished_at).getTime() - new Date(run.started_at).getTime();
    expect(waited).toBeGreaterThan(500);
    expect(run.duration_ms).toBeGreaterThan(0);
    expect(run.duration_ms).toBeLessThanOrEqual(wall - waited + 50);
    const decision = db.prepare(`SELECT d.decided_type, d.decision_source, d.decision_reason FROM type_decisions d JOIN columns c USING (column_id) WHERE c.column_name = 'ordered_on'`).get();
    db.close();
    expect(decision).toEqual({ decided_type: 'DATE', decision_source: 'manual', decision_reason: 'EU supplier: day first' });

    const again = cli(home, 'run', csv, '--json', '--no-progress');
    expect(again.code, again.err).toBe(0);
    const summary = JSON.parse(again.out).values.ingestSummary;
    expect(summary.tables[0]).toMatchObject({ typedRows: 300, quarantinedRows: 0, types: { ordered_on: 'DATE' } });
    // Day-first was applied: order 1's '02/08/2024' is 2 August.
    const duck = await openDuckDB(join(home, 'data.duckdb'));
    const [row] = await queryRows<{ d: string }>(duck, 'SELECT strftime(ordered_on, \'%Y-%m-%d\') AS d FROM typed_orders WHERE order_id = 1');
    duck.closeSync();
    expect(row.d).toBe('2024-08-02');
  });
});
