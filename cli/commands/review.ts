/**
 * `dataraum review list|show|approve|reject|modify`: the review queue of runs paused at a gate.
 * Decisions go through the store's `reviewItem`: an item is answered only while its checkpoint
 * waits for review, and answering it again replaces the earlier answer (with a note). A modified
 * value is checked before it is stored (see review-values.ts), so resume accepts it.
 *
 * @example
 * ```sh
 * dataraum review list --source weather
 * dataraum review show 3f0e...
 * dataraum review approve 3f0e... 9a1b... --by ana --notes "checked against the invoice"
 * dataraum review modify 3f0e... --value '{"decidedType":"DATE","format":{"kind":"date","strptime":"%d.%m.%Y"}}'
 * dataraum resume <checkpointId> --from-reviews
 * ```
 */
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { reviewItem, type ReviewDecision, type ReviewRow, type Store } from '../../store/index.ts';
import { readingCheck, reviewValueProblem } from '../review-values.ts';
import {
  CliError, homeFlag, isUuid, isoTime, oneLine, requireSource, runtimeOptions, shortTime, sourceNames, table, usageError,
  withRuntime, writeJson, writeLines, type RuntimeFlags,
} from './_shared.ts';

interface ListOptions extends RuntimeFlags {
  checkpoint?: string;
  source?: string;
  all?: boolean;
  json?: boolean;
}

interface DecideOptions extends RuntimeFlags {
  by?: string;
  notes?: string;
  value?: string;
  force?: boolean;
  json?: boolean;
}

/** A review item with what a reviewer needs to know about its checkpoint. */
interface ItemView {
  reviewId: string;
  checkpointId: string;
  checkpointStatus: string;
  dataflow: string;
  source: string | null;
  reviewType: string;
  itemId: string;
  status: string;
  context: unknown;
  suggestedAction: unknown;
  modifiedAction: unknown;
  reviewedBy: string | null;
  reviewedAt: string | null;
  notes: string | null;
}

export function register(program: Command): void {
  const review = program
    .command('review')
    .description('List, inspect and answer the review items of runs paused at a review gate')
    .addHelpText('after', `
Examples:
  $ dataraum review list
  $ dataraum review show <reviewId>
  $ dataraum review approve <reviewId> <reviewId> --by ana
  $ dataraum review modify <reviewId> --value '{"decidedType":"DATE","format":{"kind":"date","strptime":"%d/%m/%Y"}}'
  $ dataraum resume <checkpointId> --from-reviews
Answering an item again (while its run waits for review) replaces the earlier answer.`);

  const list = review
    .command('list')
    .description('Review items waiting for a decision (with --all: answered ones too), oldest checkpoint first')
    .option('--checkpoint <id>', 'only the items of this checkpoint')
    .option('--source <name>', 'only items of runs about this source')
    .option('--all', 'also show items already answered (of checkpoints still waiting for review)')
    .option('--json', 'print JSON (an array of items) instead of a table');
  runtimeOptions(list).addHelpText('after', `
Example:
  $ dataraum review list --source weather --json`);
  list.action(async (opts: ListOptions) => {
    await withRuntime(opts, async ({ store }) => {
      const sourceId = opts.source !== undefined ? (await requireSource(store, opts.source)).sourceId : undefined;
      if (opts.checkpoint !== undefined) await requireCheckpoint(store, opts.checkpoint, { warnIfDone: !opts.json });
      const items = await listItems(store, { checkpointId: opts.checkpoint, sourceId, all: Boolean(opts.all) });
      if (opts.json) return writeJson(items);
      if (!items.length) return writeLines([`no review items ${opts.all ? '' : 'waiting '}${opts.checkpoint ? `in checkpoint ${opts.checkpoint}` : opts.source ? `for source '${opts.source}'` : `in ${store.location}`}`]);
      writeLines(table(
        ['REVIEW', 'ITEM', 'TYPE', 'STATUS', 'SUGGESTED', 'CHECKPOINT', 'SOURCE'],
        items.map((i) => [i.reviewId, i.itemId, i.reviewType, i.status, oneLine(compact(i.status === 'modified' ? i.modifiedAction : i.suggestedAction), 40), i.checkpointId, i.source ?? '-']),
      ));
    });
  });

  const show = review
    .command('show')
    .description('Show one review item: its context, the suggested action and any decision')
    .argument('<reviewId>', 'a review id from `dataraum review list`')
    .option('--json', 'print JSON instead of text');
  runtimeOptions(show).addHelpText('after', `
Example:
  $ dataraum review show 3f0e6a52-8f3c-4f0e-b1de-1c6f3c2b9a10`);
  show.action(async (reviewId: string, opts: { json?: boolean } & RuntimeFlags) => {
    await withRuntime(opts, async ({ store, home }) => {
      const item = await requireItem(store, reviewId);
      if (opts.json) return writeJson(item);
      const lines = [
        `review ${item.reviewId}: item '${item.itemId}' (${item.reviewType}), ${item.status}`,
        `checkpoint ${item.checkpointId} of dataflow '${item.dataflow}'${item.source ? ` / source '${item.source}'` : ''} (${item.checkpointStatus})`,
        '',
        'context:',
        indent(pretty(item.context)),
        'suggested action:',
        indent(pretty(item.suggestedAction)),
      ];
      if (item.status === 'modified') lines.push('modified action:', indent(pretty(item.modifiedAction)));
      if (item.status !== 'pending') {
        lines.push(`${item.status} by ${item.reviewedBy ?? '?'} at ${shortTime(item.reviewedAt)} UTC${item.notes ? `: ${item.notes}` : ''}`);
      }
      if (item.checkpointStatus === 'pending_review') {
        lines.push('', `${item.status === 'pending' ? 'answer' : 'change the answer'}: dataraum review approve|reject ${item.reviewId}${homeFlag(home)}   or   dataraum review modify ${item.reviewId} --value '<json>'${homeFlag(home)}`);
      }
      writeLines(lines);
    });
  });

  for (const verb of ['approve', 'reject'] as const) {
    const status = verb === 'approve' ? 'approved' : 'rejected';
    const cmd = review
      .command(verb)
      .description(verb === 'approve' ? 'Accept the suggested action of review items' : 'Reject review items (resuming with --from-reviews answers null for them)')
      .argument('<reviewId...>', 'review ids from `dataraum review list`')
      .option('--by <name>', 'who decided (default: $USER)')
      .option('--notes <text>', 'why')
      .option('--json', 'print the updated items as JSON');
    runtimeOptions(cmd).addHelpText('after', `
Example:
  $ dataraum review ${verb} 3f0e6a52-8f3c-4f0e-b1de-1c6f3c2b9a10 --by ana --notes "matches the source system"`);
    cmd.action(async (ids: string[], opts: DecideOptions) => {
      await decide(ids, opts, { status });
    });
  }

  const modify = review
    .command('modify')
    .description('Answer a review item with a value of your own instead of the suggested action (checked before it is stored)')
    .argument('<reviewId>', 'a review id from `dataraum review list`')
    .requiredOption('--value <json>', 'the value to use instead of the suggested action, as JSON (`dataraum review show` shows the suggested one)')
    .option('--by <name>', 'who decided (default: $USER)')
    .option('--notes <text>', 'why')
    .option('--force', 'answer even when the value reads fewer of the column\'s values than the item\'s threshold')
    .option('--json', 'print the updated item as JSON');
  runtimeOptions(modify).addHelpText('after', `
A type_review answer is {"decidedType": <DuckDB type>, "format"?: <how values read>, "reason"?: <text>};
without a format the type's default one is used (DATE: %Y-%m-%d, numbers: decimal '.', no grouping).
Its parse rate is looked up among the candidates measured when the run paused: one below the item's
threshold is refused unless --force (its unreadable rows would go to quarantine on resume).

Examples:
  $ dataraum review modify 3f0e6a52-8f3c-4f0e-b1de-1c6f3c2b9a10 --value '{"decidedType":"DATE","format":{"kind":"date","strptime":"%d.%m.%Y"}}'
  $ dataraum review modify 3f0e6a52-8f3c-4f0e-b1de-1c6f3c2b9a10 --value '{"decidedType":"DOUBLE","format":{"kind":"number","decimal":",","thousands":"."}}'
  $ dataraum review modify 3f0e6a52-8f3c-4f0e-b1de-1c6f3c2b9a10 --value '{"decidedType":"VARCHAR","reason":"codes, not numbers"}'`);
  modify.action(async (reviewId: string, opts: DecideOptions, command: Command) => {
    let value: unknown;
    try {
      value = JSON.parse(opts.value!);
    } catch (err) {
      usageError(command, `--value must be JSON (quote strings: '"text"'): ${err instanceof Error ? err.message : String(err)}`);
    }
    await decide([reviewId], opts, { status: 'modified', modifiedAction: value });
  });
}

/**
 * Answers each item, replacing earlier answers (with a note on stderr); a modified value must fit
 * the item. Reports every failure, then fails (exit 1) if any item could not be answered.
 */
async function decide(ids: readonly string[], opts: DecideOptions, decision: Pick<ReviewDecision, 'status' | 'modifiedAction'>): Promise<void> {
  const by = opts.by ?? defaultReviewer();
  await withRuntime(opts, async ({ store }) => {
    const done: ReviewRow[] = [];
    const failed: string[] = [];
    for (const id of ids) {
      try {
        // Unknown ids fall through to reviewItem, whose error says so.
        const before = await findItem(store, id);
        let reading: { refuse?: string; note?: string } = {};
        if (before && decision.status === 'modified') {
          const problem = reviewValueProblem(before, decision.modifiedAction);
          if (problem) throw new CliError(`review ${id} was not answered: ${problem}`);
          reading = readingCheck(before, decision.modifiedAction, Boolean(opts.force));
          if (reading.refuse) throw new CliError(`review ${id} was not answered: ${reading.refuse}`);
        }
        done.push(await reviewItem(store, id, { ...decision, reviewedBy: by, notes: opts.notes ?? null, replace: true }));
        if (reading.note) process.stderr.write(`note: ${reading.note}\n`);
        if (before && before.status !== 'pending') {
          process.stderr.write(`note: replaced the earlier answer to '${before.itemId}' (${before.status} by ${before.reviewedBy ?? '?'} at ${shortTime(before.reviewedAt)} UTC)\n`);
        }
      } catch (err) {
        failed.push(err instanceof Error ? err.message : String(err));
      }
    }
    if (opts.json) writeJson(await Promise.all(done.map((r) => requireItem(store, r.reviewId))));
    else writeLines(done.map((r) => `${r.status} ${r.reviewId} (item '${r.itemId}' of checkpoint ${r.checkpointId}) by ${by}`));
    if (failed.length) {
      throw new CliError(failed.length === 1 ? failed[0] : `${failed.length} of ${ids.length} items were not answered:\n${failed.map((f) => `  - ${f}`).join('\n')}`);
    }
  });
}

function defaultReviewer(): string {
  if (process.env.USER) return process.env.USER;
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

async function listItems(store: Store, f: { checkpointId?: string; sourceId?: string; all: boolean }): Promise<ItemView[]> {
  if (f.checkpointId !== undefined && !isUuid(f.checkpointId)) return [];
  let query = store.db
    .selectFrom('reviewQueue as r')
    .innerJoin('checkpoints as c', 'c.checkpointId', 'r.checkpointId')
    .selectAll('r')
    .select(['c.status as checkpointStatus', 'c.dataflowName', 'c.sourceId']);
  // A named checkpoint shows whatever state it is in; otherwise only what still waits for review.
  if (f.checkpointId !== undefined) query = query.where('r.checkpointId', '=', f.checkpointId);
  else query = query.where('c.status', '=', 'pending_review');
  if (!f.all) query = query.where('r.status', '=', 'pending');
  if (f.sourceId !== undefined) query = query.where('c.sourceId', '=', f.sourceId);
  const rows = await query.orderBy('c.createdAt').orderBy('r.checkpointId').orderBy('r.position').execute();
  const names = await sourceNames(store);
  return rows.map((r) => toView(r, names));
}

type JoinedRow = ReviewRow & { checkpointStatus: string; dataflowName: string; sourceId: string | null };

function toView(r: JoinedRow, names: Map<string, string>): ItemView {
  return {
    reviewId: r.reviewId,
    checkpointId: r.checkpointId,
    checkpointStatus: r.checkpointStatus,
    dataflow: r.dataflowName,
    source: r.sourceId ? (names.get(r.sourceId) ?? r.sourceId) : null,
    reviewType: r.reviewType,
    itemId: r.itemId,
    status: r.status,
    context: r.contextData,
    suggestedAction: r.suggestedAction,
    modifiedAction: r.modifiedAction,
    reviewedBy: r.reviewedBy,
    reviewedAt: isoTime(r.reviewedAt),
    notes: r.reviewNotes,
  };
}

async function requireItem(store: Store, reviewId: string): Promise<ItemView> {
  const item = await findItem(store, reviewId);
  if (!item) throw new CliError(`no review item '${reviewId}' in ${store.location}; \`dataraum review list\` shows the open ones`);
  return item;
}

async function findItem(store: Store, reviewId: string): Promise<ItemView | undefined> {
  const row = isUuid(reviewId)
    ? await store.db
        .selectFrom('reviewQueue as r')
        .innerJoin('checkpoints as c', 'c.checkpointId', 'r.checkpointId')
        .selectAll('r')
        .select(['c.status as checkpointStatus', 'c.dataflowName', 'c.sourceId'])
        .where('r.reviewId', '=', reviewId)
        .executeTakeFirst()
    : undefined;
  return row ? toView(row, await sourceNames(store)) : undefined;
}

async function requireCheckpoint(store: Store, checkpointId: string, opts: { warnIfDone: boolean }): Promise<void> {
  const cp = isUuid(checkpointId)
    ? await store.db.selectFrom('checkpoints').select(['status']).where('checkpointId', '=', checkpointId).executeTakeFirst()
    : undefined;
  if (!cp) throw new CliError(`no checkpoint '${checkpointId}' in ${store.location}; \`dataraum review list\` shows checkpoints waiting for review`);
  if (opts.warnIfDone && cp.status !== 'pending_review') {
    process.stderr.write(`note: checkpoint ${checkpointId} is '${cp.status}'; its items can no longer be answered\n`);
  }
}

function compact(v: unknown): string {
  return v === null || v === undefined ? '-' : typeof v === 'string' ? v : JSON.stringify(v);
}

function pretty(v: unknown): string {
  return v === null || v === undefined ? '(none)' : typeof v === 'string' ? v : JSON.stringify(v, null, 2);
}

function indent(text: string): string {
  return text.split('\n').map((l) => `  ${l}`).join('\n');
}
