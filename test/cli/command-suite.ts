/**
 * The run commands end to end through the real bin, on one metadata-store dialect: runs, status,
 * review (list/show/approve/reject/modify), resume (--answers, --from-reviews, paused again,
 * twice), reset and cache. Each test file runs this suite for one dialect, so the two dialects
 * run in parallel workers.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoreDialect } from '../../store/index.ts';
import { createTarget, type TestStoreTarget } from '../store/helpers.ts';
import { cli, executions, FIXTURE_ROOT, json, startGatedRun, type CliEnv } from './helpers.ts';

/**
 * `full`: also check what does not depend on the store's dialect (text layouts, usage errors, the
 * file cache), which one dialect covering is enough: every CLI call costs a process start.
 */
/**
 * Each test starts 10-25 CLI processes of ~0.7-1.5 s each (most of it loading the CLI); a busy
 * shared machine can triple that.
 */
const CLI_TEST_TIMEOUT = 180_000;

export function commandSuite(dialect: StoreDialect, { full }: { full: boolean }): void {
  describe(`the run commands on ${dialect}`, () => {
    let target: TestStoreTarget | undefined;
    let databaseUrl: string | undefined;
    const homes: string[] = [];

    beforeAll(async () => {
      if (dialect === 'postgres') {
        target = await createTarget('postgres');
        databaseUrl = (target.options as { url: string }).url;
      }
    });

    afterAll(async () => {
      for (const h of homes) rmSync(h, { recursive: true, force: true });
      await target?.destroy();
    });

    /** A fresh home; on PostgreSQL all of them share this file's database. */
    function env(): CliEnv {
      const home = mkdtempSync(path.join(tmpdir(), 'dataraum-cli-'));
      homes.push(home);
      return { home, ...(databaseUrl ? { databaseUrl } : {}) };
    }

    it('lists runs, shows status, answers reviews and resumes from the review queue in a new process', async () => {
      const e = env();
      const source = `shop-${dialect}`;
      const paused = await startGatedRun(e, { source, askReview: true });
      expect(paused.status).toBe('pending_review');
      if (paused.status !== 'pending_review') return;
      const checkpointId = paused.checkpoint.checkpointId;

      // runs and status: JSON (and the tables)
      const [runsJson, statusJson, runsText, statusText] = await Promise.all([
        cli(e, ['runs', '--source', source, '--json']),
        cli(e, ['status', '--source', source, '--json']),
        ...(full ? [cli(e, ['runs', '--dataflow', 'gated', '--limit', '5']), cli(e, ['status', '--source', source])] : []),
      ]);
      // A paused run has no end yet; its duration so far is the time it ran before the gate.
      expect(json(runsJson)).toEqual([expect.objectContaining({ runId: paused.runId, dataflow: 'gated', source, status: 'pending_review', finishedAt: null, durationMs: expect.any(Number) })]);
      const status = json(statusJson);
      expect(status).toMatchObject({ runId: paused.runId, status: 'pending_review', source, checkpoint: { checkpointId, checkpointType: 'totals_review', pendingItems: 2 } });
      const states = Object.fromEntries(status.nodes.map((n: { node: string; state: string }) => [n.node, n.state]));
      expect(states).toEqual({ numbers: 'done', stats: 'done', approval: 'awaiting_review', report: 'skipped', signoff: 'skipped', published: 'skipped' });
      if (full) {
        expect(runsText.code).toBe(0);
        expect(runsText.stdout.split('\n')[0]).toMatch(/^RUN\s+DATAFLOW\s+SOURCE\s+STATUS\s+STARTED \(UTC\)\s+DURATION\s+ERROR$/);
        expect(runsText.stdout).toMatch(new RegExp(`${paused.runId}\\s+gated\\s+${source}\\s+pending_review`));
        expect(statusText.stdout).toContain(`paused at review gate (totals_review): checkpoint ${checkpointId}, 2 item(s) pending`);
        expect(statusText.stdout).toMatch(/\nNODE\s+STATE\s+DURATION\s+CACHE\s+ERROR\n/);
        expect(statusText.stdout).toMatch(/approval\s+awaiting_review/);
      }

      // review list / show
      const items = json(await cli(e, ['review', 'list', '--source', source, '--json']));
      expect(items.map((i: { itemId: string }) => i.itemId)).toEqual(['total', 'max']);
      const [total, max] = items as { reviewId: string }[];
      if (full) {
        const shown = await cli(e, ['review', 'show', total.reviewId]);
        expect(shown.code).toBe(0);
        expect(shown.stdout).toContain(`review ${total.reviewId}: item 'total' (totals_review), pending`);
        expect(shown.stdout).toMatch(/context:\n {2}\{\n {4}"total": 10,\n {4}"count": 4\n {2}\}\nsuggested action:\n {2}\{\n {4}"accept": true,/);
      }

      // answering: an unknown id fails (exit 1) without stopping the valid one; answering again replaces the answer, with a note
      const approved = await cli(e, ['review', 'approve', total.reviewId, 'no-such-review', '--by', 'ana', '--notes', 'matches the ledger']);
      expect(approved.code).toBe(1);
      expect(approved.stdout).toContain(`approved ${total.reviewId} (item 'total' of checkpoint ${checkpointId}) by ana`);
      expect(approved.stderr).toMatch(/^error: Cannot review item no-such-review: no such review item/);
      expect(approved.stderr).not.toMatch(/\n\s+at /); // no stack trace without --verbose
      const [again, badJson, early] = await Promise.all([
        cli(e, ['review', 'reject', total.reviewId]),
        ...(full ? [cli(e, ['review', 'modify', max.reviewId, '--value', '{limit: 3}']), cli(e, ['resume', checkpointId, '--from-reviews', '--root', FIXTURE_ROOT])] : []),
      ]);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toContain(`rejected ${total.reviewId} (item 'total' of checkpoint ${checkpointId})`);
      expect(again.stderr).toMatch(/^note: replaced the earlier answer to 'total' \(approved by ana at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\)\n$/);
      const reapproved = await cli(e, ['review', 'approve', total.reviewId, '--by', 'ana', '--notes', 'matches the ledger after all']);
      expect(reapproved.stderr).toContain("note: replaced the earlier answer to 'total' (rejected by ");
      if (full) {
        expect(badJson.code).toBe(2);
        expect(badJson.stderr).toContain('--value must be JSON');
        // resume refuses while an item is unanswered
        expect(early.code).toBe(1);
        expect(early.stderr).toContain(`still has 1 unanswered review item(s): 'max' (${max.reviewId})`);
      }

      const modified = json(await cli(e, ['review', 'modify', max.reviewId, '--value', '{"limit":3}', '--by', 'bo', '--json']));
      expect(modified).toEqual([expect.objectContaining({ itemId: 'max', status: 'modified', modifiedAction: { limit: 3 }, reviewedBy: 'bo' })]);
      expect(json(await cli(e, ['review', 'list', '--checkpoint', checkpointId, '--all', '--json'])).map((i: { status: string }) => i.status)).toEqual(['approved', 'modified']);

      // resume in a new process: nothing that completed runs again
      const before = executions(e.home);
      expect(before).toEqual({ numbers: 1, stats: 1, approval: 1 });
      const resumed = await cli(e, ['resume', checkpointId, '--from-reviews', '--root', FIXTURE_ROOT, '--json']);
      expect(resumed.code).toBe(0);
      const outcome = json(resumed);
      expect(outcome).toMatchObject({ status: 'completed', runId: paused.runId, resumedCheckpoint: checkpointId, outputs: ['published'] });
      expect(outcome.nodes.map((n: { node: string; outcome: string }) => `${n.node}:${n.outcome}`)).toEqual(['report:done', 'signoff:done', 'published:done']);
      expect(resumed.stderr).toContain('✓ report'); // the progress hook, on stderr
      // approved -> the suggested action, modified -> the modified value (jsonb reorders keys: compare values)
      expect(outcome.values.published).toMatch(/^total 10 of 4; answers \{.*\}$/);
      expect(JSON.parse(outcome.values.published.replace(/^total 10 of 4; answers /, ''))).toEqual({ total: { accept: true, total: 10 }, max: { limit: 3 } });
      expect(executions(e.home)).toEqual({ numbers: 1, stats: 1, approval: 1, report: 1, signoff: 1, published: 1 });

      // the run's record: finished, every node done (the gate took the answers as its value)
      const finished = json(await cli(e, ['status', '--run', paused.runId, '--json']));
      expect(finished).toMatchObject({ status: 'completed', source });
      expect(finished.checkpoint).toBeUndefined();
      expect(finished.nodes.every((n: { state: string }) => n.state === 'done')).toBe(true);

      // a checkpoint resumes once
      const twice = await cli(e, ['resume', checkpointId, '--from-reviews', '--root', FIXTURE_ROOT]);
      expect(twice.code).toBe(1);
      expect(twice.stderr).toMatch(/^error: checkpoint .* is 'completed' .*a checkpoint resumes once/);
      expect(executions(e.home).report).toBe(1);

      if (full) {
        // cache logs: the nodes that ran (the resumed ones too), scoped to the source
        const [logsJson, logsText] = await Promise.all([cli(e, ['cache', 'logs', '--dataflow', 'gated', '--json']), cli(e, ['cache', 'logs'])]);
        const entries = json(logsJson);
        expect(entries.map((x: { node: string }) => x.node).sort()).toEqual(['numbers', 'published', 'report', 'stats']); // gates are never cached
        for (const x of entries) {
          expect(x).toMatchObject({ dataflow: 'gated', scope: source, codeVersion: expect.any(String), dataVersion: expect.any(String), sizeBytes: expect.any(Number), createdAt: expect.any(String) });
        }
        expect(logsText.stdout).toMatch(/^NODE\s+DATAFLOW\s+SOURCE\s+CODE\s+DATA\s+SIZE\s+CREATED \(UTC\)/);
        expect(logsText.stdout).toMatch(new RegExp(`numbers\\s+gated\\s+${source}\\s+[0-9a-f]{12}\\s+[0-9a-f]{12}\\s+\\d+ B`));
        expect(logsText.stdout).toMatch(/\n4 entries, \d+ B\n$/);

        // reset without --yes only says what would go (exit 2)
        const dry = await cli(e, ['reset', '--source', source]);
        expect(dry.code).toBe(2);
        expect(dry.stdout).toContain(`would remove from source '${source}': 1 checkpoint(s) (0 waiting for review) with 2 review item(s), 4 cache entries`);
      }
      const reset = json(await cli(e, ['reset', '--source', source, '--yes', '--json']));
      expect(reset).toEqual({ removed: true, source, checkpoints: 1, pendingCheckpoints: 0, reviewItems: 2, cacheEntries: 4, cacheIndexRows: 4, pausedRuns: 0 });
      const [gone, history, cacheAfter] = await Promise.all([
        cli(e, ['resume', checkpointId, '--from-reviews']),
        cli(e, ['runs', '--source', source, '--json']),
        ...(full ? [cli(e, ['cache', 'logs', '--json'])] : []),
      ]);
      expect(gone.code).toBe(1);
      expect(gone.stderr).toContain(`no checkpoint '${checkpointId}'`);
      expect(json(history)).toHaveLength(1); // runs stay as history
      if (full) expect(json(cacheAfter)).toEqual([]);
    }, CLI_TEST_TIMEOUT);

    it('resumes a rejected item as null, pauses again at the next gate (exit 3), resumes that with an answers file', async () => {
      const e = env();
      const source = `ledger-${dialect}`;
      const paused = await startGatedRun(e, { source, count: 3, askReview: true, askSignoff: true });
      if (paused.status !== 'pending_review') throw new Error(`expected a paused run, got ${paused.status}`);
      const items = json(await cli(e, ['review', 'list', '--checkpoint', paused.checkpoint.checkpointId, '--json']));
      const [rejected, approved] = await Promise.all([
        cli(e, ['review', 'reject', items[1].reviewId, '--json']),
        cli(e, ['review', 'approve', items[0].reviewId]),
      ]);
      expect(json(rejected)).toEqual([expect.objectContaining({ status: 'rejected', itemId: 'max' })]);
      expect(approved.code).toBe(0);

      // approved -> the suggested action, rejected -> null; the run pauses again at the second gate
      const resumed = await cli(e, ['resume', paused.checkpoint.checkpointId, '--from-reviews', '--root', FIXTURE_ROOT]);
      expect(resumed.code).toBe(3);
      expect(resumed.stdout).toContain("paused again at review gate 'signoff' (signoff)");
      const next = /checkpoint ([0-9a-f-]{36}), 1 item\(s\)/.exec(resumed.stdout)?.[1];
      expect(next).toBeDefined();
      // the next commands carry the home and the project root this resume used
      expect(resumed.stdout).toContain(`  resume: dataraum resume ${next} --from-reviews --home ${e.home} --root ${FIXTURE_ROOT}\n`);
      expect(executions(e.home)).toEqual({ numbers: 1, stats: 1, approval: 1, report: 1, signoff: 1 });
      // the next checkpoint belongs to the same source, and the run's status points at it
      const [nextItems, pausedAgain] = await Promise.all([cli(e, ['review', 'list', '--source', source, '--json']), cli(e, ['status', '--source', source, '--json'])]);
      expect(json(pausedAgain)).toMatchObject({ runId: paused.runId, status: 'pending_review', checkpoint: { checkpointId: next, checkpointType: 'signoff', pendingItems: 1 } });
      const [signoffItem] = json(nextItems);
      expect(signoffItem).toMatchObject({ itemId: 'report', checkpointId: next, suggestedAction: 'publish', context: { report: expect.stringMatching(/^total 6 of 3; answers /) } });
      // (PostgreSQL's jsonb orders object keys its own way: compare the answers as values)
      expect(JSON.parse(signoffItem.context.report.replace(/^total 6 of 3; answers /, ''))).toEqual({ total: { accept: true, total: 6 }, max: null });

      // the second gate from an answers file
      const answers = path.join(e.home, 'answers.json');
      writeFileSync(answers, JSON.stringify({ report: 'publish with notes' }));
      const done = await cli(e, ['resume', next!, '--answers', answers, '--root', FIXTURE_ROOT, '--json']);
      expect(done.code).toBe(0);
      expect(json(done)).toMatchObject({ status: 'completed', runId: paused.runId, outputs: ['published'], nodes: [{ node: 'published', outcome: 'done' }] });
      expect(executions(e.home)).toEqual({ numbers: 1, stats: 1, approval: 1, report: 1, signoff: 1, published: 1 });

      if (!full) return;
      const [help, badLimit, noAnswers, showUnknown, runUnknown, sourceUnknown, cleared] = await Promise.all([
        cli(e, ['resume', '--help']),
        cli(e, ['runs', '--limit', '0']),
        cli(e, ['resume', next!]),
        cli(e, ['review', 'show', 'nope']),
        cli(e, ['status', '--run', 'nope']),
        cli(e, ['runs', '--source', 'nobody']),
        cli(e, ['cache', 'clear', '--dataflow', 'gated', '--node', 'numbers', '--json']),
      ]);
      // the --from-reviews convention is documented where it is used, with examples
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/approved -> the item's suggested action\n\s+modified -> the value given with `dataraum review modify --value`\n\s+rejected -> null/);
      expect(help.stdout).toContain('$ dataraum resume <checkpointId> --answers answers.json --json');
      expect(badLimit).toMatchObject({ code: 2, stderr: expect.stringContaining('--limit expects a whole number >= 1') });
      expect(noAnswers.code).toBe(2);
      expect(noAnswers.stderr).toContain('pass the answers: --answers <file.json> or --from-reviews');
      expect(showUnknown).toMatchObject({ code: 1, stderr: expect.stringContaining("no review item 'nope'") });
      expect(runUnknown).toMatchObject({ code: 1, stderr: expect.stringContaining("no run 'nope'") });
      expect(sourceUnknown).toMatchObject({ code: 1, stderr: expect.stringContaining(`unknown source 'nobody'; known sources: `) });
      expect(json(cleared)).toEqual({ removed: 1, remaining: 3 });
      const left = json(await cli(e, ['cache', 'logs', '--json'])).map((x: { node: string }) => x.node);
      expect(left.sort()).toEqual(['published', 'report', 'stats']);
    }, CLI_TEST_TIMEOUT);

    it('a later run of a source supersedes its checkpoints waiting for review: hidden, not resumable, the paused run ended', async () => {
      const e = env();
      const csv = path.join(e.home, 'orders.csv');
      // Day and month both in 1..12: the ingest pauses at the type review.
      const write = (column: string, rows: number) => writeFileSync(csv, [`id,${column},amount`, ...Array.from({ length: rows }, (_, i) => `${i},${String((i % 12) + 1).padStart(2, '0')}/${String(((i * 5) % 12) + 1).padStart(2, '0')}/2024,${i}.5`)].join('\n') + '\n');
      write('ordered_on', 60);
      const first = await cli(e, ['run', csv, '--json', '--no-progress']);
      expect(first.code, first.stderr).toBe(3);
      const { runId: run1, checkpoint: { checkpointId: cp1 } } = json(first);

      // The export changed (the column was renamed): the new run pauses at a checkpoint of its own.
      write('shipped_on', 80);
      const second = await cli(e, ['run', csv, '--json', '--no-progress']);
      expect(second.code, second.stderr).toBe(3);
      const { runId: run2, checkpoint: { checkpointId: cp2 } } = json(second);
      expect(second.stderr).toContain(`note: this run supersedes 1 checkpoint(s) of this source still waiting for review (${cp1})`);

      const [listed, old, runs] = await Promise.all([
        cli(e, ['review', 'list', '--json']),
        cli(e, ['resume', cp1, '--from-reviews']),
        cli(e, ['runs', '--source', 'orders', '--json']),
      ]);
      expect(json(listed).map((i: { checkpointId: string; itemId: string }) => [i.checkpointId, i.itemId])).toEqual([[cp2, 'orders.shipped_on']]);
      expect(old.code).toBe(1);
      expect(old.stderr).toMatch(new RegExp(`^error: checkpoint ${cp1} was superseded by run ${run2} \\(started .* UTC, pending_review\\), a later run of source 'orders'`));
      expect(old.stderr).toContain(`\`dataraum review list --checkpoint ${cp2}\`, then \`dataraum resume ${cp2} --from-reviews\``);
      expect(json(runs).find((r: { runId: string }) => r.runId === run1)).toMatchObject({ status: 'failed', error: `superseded by run ${run2}: its review checkpoint ${cp1} can no longer be resumed` });

      // A completed run supersedes too; resuming the older pause would have overwritten its typed table.
      const third = await cli(e, ['run', csv, '--json', '--no-progress', '-c', 'decisionThreshold=0.5']);
      expect(third.code, third.stderr).toBe(0);
      const { runId: run3, values } = json(third);
      expect(values.ingestSummary.tables[0]).toMatchObject({ typedRows: 80, quarantinedRows: 0 });
      const [late, items, shown] = await Promise.all([
        cli(e, ['resume', cp2, '--from-reviews']),
        cli(e, ['review', 'list', '--source', 'orders', '--json']),
        cli(e, ['review', 'list', '--checkpoint', cp2, '--json']),
      ]);
      expect(late.code).toBe(1);
      expect(late.stderr).toContain(`was superseded by run ${run3} (started `);
      expect(late.stderr).toContain(`No checkpoint of the source waits for review now; \`dataraum status --run ${run3}\` shows what that run did.`);
      expect(json(items)).toEqual([]);
      // Asked for by id, a superseded checkpoint's items still show, with its status.
      expect(json(shown)).toEqual([expect.objectContaining({ itemId: 'orders.shipped_on', status: 'pending', checkpointStatus: 'superseded' })]);
    }, CLI_TEST_TIMEOUT);

    it('reset ends a run paused at a checkpoint it drops', async () => {
      const e = env();
      const source = `paused-${dialect}`;
      const paused = await startGatedRun(e, { source, askReview: true });
      expect(paused.status).toBe('pending_review');
      const reset = json(await cli(e, ['reset', '--source', source, '--yes', '--json']));
      expect(reset).toEqual({ removed: true, source, checkpoints: 1, pendingCheckpoints: 1, reviewItems: 2, cacheEntries: 2, cacheIndexRows: 2, pausedRuns: 1 });
      const [run] = json(await cli(e, ['runs', '--source', source, '--json']));
      expect(run).toMatchObject({ runId: paused.runId, status: 'failed', error: `its review checkpoint was dropped by \`dataraum reset --source ${source}\`` });
    }, CLI_TEST_TIMEOUT);
  });
}
