/**
 * The ingest's type review, end to end through the CLI: a run pauses on a column it can't type
 * with confidence, a person answers in the review queue, `resume --from-reviews` finishes in a new
 * process, and the person's decision is applied again on later runs without asking, until new
 * data no longer fits it. A modified answer is checked before it is stored, and can be replaced.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { reviewValueProblem } from '../../cli/review-values.ts';
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
    const decision = db.prepare(`SELECT d.decided_type, d.decision_source, d.decision_reason, d.decided_by FROM type_decisions d JOIN columns c USING (column_id) WHERE c.column_name = 'ordered_on'`).get();
    db.close();
    // The decision records who made it (review modify --by ana).
    expect(decision).toEqual({ decided_type: 'DATE', decision_source: 'manual', decision_reason: 'EU supplier: day first', decided_by: 'ana' });

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

  it('checks a modified answer before storing it, replaces an answer given by mistake, and asks again when new data no longer fits', async () => {
    const home = join(dir, 'home-refit');
    const file = join(dir, 'review.csv');
    const pad = (n: number) => String(n).padStart(2, '0');
    const write = (date: (i: number) => string) => {
      const rows = ['id,amb,amount'];
      for (let i = 0; i < 50; i++) rows.push(`${i},${date(i)},${i + 0.25}`);
      writeFileSync(file, rows.join('\n') + '\n');
    };
    // Day and month both in 1..12: day-first or month-first is a person's call.
    write((i) => `${pad((i % 12) + 1)}/${pad(((i * 5) % 12) + 1)}/2024`);
    const first = cli(home, 'run', file, '--json', '--no-progress');
    expect(first.code, first.err).toBe(3);
    const checkpointId = JSON.parse(first.out).checkpoint.checkpointId as string;
    const items = () => JSON.parse(cli(home, 'review', 'list', '--checkpoint', checkpointId, '--all', '--json').out) as { reviewId: string; itemId: string; status: string }[];
    const [item] = items();
    expect(item).toMatchObject({ itemId: 'review.amb', status: 'pending' });

    // The value the help text used to show, and a format that cannot make the type: refused, the item stays open.
    const wrongKey = cli(home, 'review', 'modify', item.reviewId, '--value', '{"type":"DOUBLE"}');
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.err).toContain(`review ${item.reviewId} was not answered: not a type_review answer for 'review.amb': decidedType: `);
    expect(wrongKey.err).toContain('Unrecognized key: "type"');
    expect(wrongKey.err).toContain('e.g. {"decidedType":"DATE","format":{"kind":"date","strptime":"%m/%d/%Y"}} (the suggested action)');
    const wrongFormat = cli(home, 'review', 'modify', item.reviewId, '--value', JSON.stringify({ decidedType: 'DATE', format: { kind: 'number', decimal: '.', thousands: '' } }));
    expect(wrongFormat.code).toBe(1);
    expect(wrongFormat.err).toContain("format: format 'number' cannot produce DATE");
    expect(items()[0].status).toBe('pending');

    // Approved by mistake (month-first), then answered again: the later answer replaces it.
    expect(cli(home, 'review', 'approve', item.reviewId, '--by', 'bo').code).toBe(0);
    const dayFirst = { decidedType: 'DATE', format: { kind: 'date', strptime: '%d/%m/%Y' }, reason: 'EU supplier: day first' };
    const replaced = cli(home, 'review', 'modify', item.reviewId, '--by', 'ana', '--value', JSON.stringify(dayFirst));
    expect(replaced.code, replaced.err).toBe(0);
    expect(replaced.err).toContain("note: replaced the earlier answer to 'review.amb' (approved by bo at ");
    expect(items()[0].status).toBe('modified');
    const resumed = cli(home, 'resume', checkpointId, '--from-reviews', '--json', '--no-progress');
    expect(resumed.code, resumed.err).toBe(0);
    // Row 1 is '02/06/2024': 2 June, day first. (A query process: this one must not hold the DuckDB file.)
    const typed = cli(home, 'query', "SELECT strftime(amb, '%Y-%m-%d') AS d FROM typed_review WHERE id = 1", '--json');
    expect(JSON.parse(typed.out).rows, typed.err).toEqual([{ d: '2024-06-02' }]);

    // The next export writes ISO dates: the remembered day-first reading parses none of them.
    write((i) => `2024-03-${pad(((i + 24) % 28) + 1)}`);
    const changed = cli(home, 'run', file, '--json', '--no-progress');
    expect(changed.code, changed.err).toBe(3);
    const again = JSON.parse(changed.out).checkpoint;
    expect(again.items.map((i: { itemId: string }) => i.itemId)).toEqual(['review.amb']);
    const [asked] = JSON.parse(cli(home, 'review', 'list', '--checkpoint', again.checkpointId, '--json').out);
    expect(asked.context.earlierDecision).toMatchObject({
      decision: { decidedType: 'DATE', format: { kind: 'date', strptime: '%d/%m/%Y' }, reason: 'EU supplier: day first' },
      parseSuccessRate: 0, parsedCount: 0, failedCount: 50,
    });
    expect(asked.context.earlierDecision.failedExamples[0]).toEqual({ row: 1, value: '2024-03-25' });
    expect(asked.context.earlierDecision.note).toContain('reads 0% of 50 non-null values now, below the threshold of 95%');
    expect(asked.suggestedAction).toMatchObject({ decidedType: 'DATE', format: { kind: 'date', strptime: '%Y-%m-%d' } });
    expect(asked.suggestedAction.reason).toContain('the earlier decision no longer fits');

    expect(cli(home, 'review', 'approve', asked.reviewId, '--by', 'ana', '--notes', 'the supplier switched to ISO dates').code).toBe(0);
    const retyped = cli(home, 'resume', again.checkpointId, '--from-reviews', '--json', '--no-progress');
    expect(retyped.code, retyped.err).toBe(0);
    expect(JSON.parse(retyped.out).values.ingestSummary.tables[0]).toMatchObject({ typedRows: 50, quarantinedRows: 0, types: { amb: 'DATE' } });
    // The reviewer's name and notes are the decision's.
    const store = new Database(join(home, 'metadata.sqlite'), { readonly: true });
    const decision = store.prepare(`SELECT d.decided_by, d.decision_reason FROM type_decisions d JOIN columns c USING (column_id) WHERE c.column_name = 'amb'`).get() as { decided_by: string; decision_reason: string };
    store.close();
    expect(decision.decided_by).toBe('ana');
    expect(decision.decision_reason).toMatch(/^the supplier switched to ISO dates \(suggested: .*earlier decision no longer fits/);

    // The new decision fits the data: applied without asking.
    const later = cli(home, 'run', file, '--json', '--no-progress');
    expect(later.code, later.err).toBe(0);
    expect(JSON.parse(later.out).values.ingestSummary.tables[0]).toMatchObject({ typedRows: 50, quarantinedRows: 0 });
  }, 240_000);

  it('checks a modified type against the parse rates measured at the pause, refuses an incomplete answers file without using up the checkpoint, and prints what the resume typed', () => {
    const home = join(dir, 'home-answers');
    const file = join(dir, 'mixed.csv');
    // amount: one value in ten is not a number (DOUBLE reads 90%, below the 95% threshold); dt: day/month ambiguous.
    const rows = ['id,amount,dt'];
    for (let i = 0; i < 400; i++) rows.push(`${i},${i % 10 ? `${(i % 97) + 0.5}` : `n/a ${i}`},${String((i % 12) + 1).padStart(2, '0')}/${String(((i * 7) % 12) + 1).padStart(2, '0')}/2024`);
    writeFileSync(file, rows.join('\n') + '\n');
    const first = cli(home, 'run', file, '--json', '--no-progress');
    expect(first.code, first.err).toBe(3);
    const checkpointId = JSON.parse(first.out).checkpoint.checkpointId as string;
    const items = () => JSON.parse(cli(home, 'review', 'list', '--checkpoint', checkpointId, '--all', '--json').out) as { reviewId: string; itemId: string; status: string; checkpointStatus: string }[];
    const amount = items().find((i) => i.itemId === 'mixed.amount')!;

    // A type and format no candidate measured: answered, saying so.
    const unmeasured = cli(home, 'review', 'modify', amount.reviewId, '--value', '{"decidedType":"DECIMAL(6,2)"}');
    expect(unmeasured.code, unmeasured.err).toBe(0);
    expect(unmeasured.err).toContain("note: DECIMAL(6,2) as number (decimal '.', no grouping) was not measured on 'mixed.amount' when the run paused (measured: DECIMAL(4,1) as number (decimal '.', no grouping) 90%, DOUBLE as number (decimal '.', no grouping) 90%");
    // A measured reading below the item's threshold: refused, the earlier answer kept, until forced.
    const low = cli(home, 'review', 'modify', amount.reviewId, '--value', '{"decidedType":"DOUBLE"}');
    expect(low.code).toBe(1);
    expect(low.err).toContain(`review ${amount.reviewId} was not answered: DOUBLE as number (decimal '.', no grouping) reads 90% of the 400 non-null values of 'mixed.amount' (measured when the run paused), below the item's threshold of 95%: on resume the rows of its 40 unreadable value(s) go to quarantine.`);
    expect(low.err).toContain('or pass --force to answer with it anyway');
    expect(items().find((i) => i.itemId === 'mixed.amount')!.status).toBe('modified');
    const forced = cli(home, 'review', 'modify', amount.reviewId, '--force', '--json', '--value', '{"decidedType":"DOUBLE"}');
    expect(forced.code, forced.err).toBe(0);
    expect(forced.err).toContain('reads 90% of the 400 non-null values');
    expect(forced.err).toContain('(answered anyway: --force)');
    expect(JSON.parse(forced.out)[0].modifiedAction).toEqual({ decidedType: 'DOUBLE' });

    // An answers file missing an item is refused before anything runs: the checkpoint keeps waiting.
    const dayFirst = { decidedType: 'DATE', format: { kind: 'date', strptime: '%d/%m/%Y' } };
    const partial = join(dir, 'partial.json');
    writeFileSync(partial, JSON.stringify({ 'mixed.dt': dayFirst }));
    const refused = cli(home, 'resume', checkpointId, '--answers', partial, '--no-progress');
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(`error: the answers in ${partial} cannot resume checkpoint ${checkpointId}, which still waits for review:\n  - no answer for 1 of 2 item(s): 'mixed.amount'`);
    expect(items().every((i) => i.checkpointStatus === 'pending_review')).toBe(true);

    // The whole file resumes that same checkpoint, and the resume says what it typed and quarantined.
    const full = join(dir, 'full.json');
    writeFileSync(full, JSON.stringify({ 'mixed.dt': dayFirst, 'mixed.amount': { decidedType: 'DOUBLE' } }));
    const resumed = cli(home, 'resume', checkpointId, '--answers', full, '--no-progress');
    expect(resumed.code, resumed.err).toBe(0);
    expect(resumed.out).toMatch(new RegExp(`^resumed checkpoint ${checkpointId} \\(ingest, run [0-9a-f-]+\\): completed in .*\nSource 'mixed' \\(csv\\): 1 table\\(s\\);`));
    expect(resumed.out).toContain('  mixed: 400 rows -> typed_mixed 360 rows, quarantine_mixed 40 rows');
  }, 240_000);

  it('shows only valid type_review answers in the help of review modify', () => {
    const help = ['review', 'review modify'].map((c) => spawnSync(process.execPath, [BIN, ...c.split(' '), '--help'], { encoding: 'utf8' }).stdout).join('\n');
    const values = [...help.matchAll(/--value '([^']+)'/g)].map((m) => m[1]);
    expect(values.length).toBeGreaterThanOrEqual(3);
    for (const v of values) expect(reviewValueProblem({ reviewType: 'type_review', itemId: 'orders.amount', suggestedAction: null }, JSON.parse(v)), v).toBeUndefined();
  });
});
