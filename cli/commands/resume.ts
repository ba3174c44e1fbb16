/**
 * `dataraum resume <checkpointId> [--answers file.json | --from-reviews] [--json]`: continues a
 * run paused at a review gate, in this process, without re-running any completed node. The answers
 * become the gate's value. Exit codes: 0 completed, 1 failed (or the checkpoint cannot be resumed),
 * 2 usage, 3 paused again at another gate.
 *
 * @example
 * ```sh
 * dataraum review approve <reviewId> && dataraum resume <checkpointId> --from-reviews
 * dataraum resume <checkpointId> --answers answers.json --json
 * ```
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { ProgressBarHook, type RunResult } from '../../engine/index.ts';
import { TYPE_REVIEW, typeReviewAnswer } from '../../nodes/typing/review-answers.ts';
import { getCheckpoint, type CheckpointWithItems, type Store } from '../../store/index.ts';
import { formatRunErrors, summaryTexts } from '../output.ts';
import { answersProblems } from '../review-values.ts';
import { resumeCheckpoint, supersession } from '../runs.ts';
import {
  CliError, formatDuration, homeFlag, isUuid, oneLine, rootFlag, runtimeOptions, shortTime, table, usageError, withRuntime, writeJson, writeLines,
  type RuntimeFlags,
} from './_shared.ts';

interface ResumeOptions extends RuntimeFlags {
  answers?: string;
  fromReviews?: boolean;
  json?: boolean;
  progress: boolean;
}

export function register(program: Command): void {
  const cmd = program
    .command('resume')
    .description('Continue a run paused at a review gate; the answers become the gate\'s value')
    .argument('<checkpointId>', 'the checkpoint printed when the run paused (also in `dataraum status` and `dataraum review list`)')
    .option('--answers <file>', 'a JSON file holding the gate\'s value (use - for stdin)')
    .option('--from-reviews', 'build the answers from the review queue decisions (see below)')
    .option('--json', 'print the outcome as JSON (progress still goes to stderr)')
    .option('--no-progress', 'no progress lines on stderr');
  runtimeOptions(cmd, { root: true }).addHelpText('after', `
Answers from the review queue (--from-reviews): an object mapping each review item's itemId to its
reviewed value:
  approved -> the item's suggested action
  modified -> the value given with \`dataraum review modify --value\`
  rejected -> null
Every item must have been answered first (\`dataraum review list --checkpoint <id>\` shows those left).

Answers from a file (--answers): the same object, with an entry for every item (null rejects one);
a file that misses an item, names one the checkpoint lacks or gives a value that does not fit is
refused, and the checkpoint keeps waiting for review.

A later run of the same source supersedes the checkpoints still waiting for review: they can no
longer be resumed (the data may have changed); review the later run's checkpoint instead.

Exit codes: 0 completed, 1 failed or not resumable (unknown, already resumed, superseded, or
answers that do not fit), 2 usage, 3 paused again at another review gate (its checkpoint id is printed).

Examples:
  $ dataraum review approve <reviewId> --by ana && dataraum resume <checkpointId> --from-reviews
  $ dataraum resume <checkpointId> --answers answers.json --json`);
  cmd.action(async (checkpointId: string, opts: ResumeOptions, command: Command) => {
    if (opts.answers !== undefined && opts.fromReviews) usageError(command, 'pass --answers or --from-reviews, not both');
    if (opts.answers === undefined && !opts.fromReviews) usageError(command, 'pass the answers: --answers <file.json> or --from-reviews');
    const fileAnswers = opts.answers !== undefined ? await readAnswers(opts.answers) : undefined;
    await withRuntime(opts, async (rt) => {
      const cp = isUuid(checkpointId) ? await getCheckpoint(rt.store, checkpointId) : undefined;
      if (!cp) throw new CliError(`no checkpoint '${checkpointId}' in ${rt.store.location}; \`dataraum review list\` shows the checkpoints waiting for review`);
      if (cp.status === 'superseded') throw new CliError(await supersededMessage(rt.store, cp));
      if (cp.status !== 'pending_review') {
        throw new CliError(`checkpoint ${checkpointId} is '${cp.status}'${cp.resumedAt ? ` (resumed at ${String(cp.resumedAt)})` : ''}; a checkpoint resumes once. Start a new run to process the data again.`);
      }
      const answers = fileAnswers !== undefined ? fileAnswers : answersFromReviews(cp);
      const problems = fileAnswers !== undefined ? answersProblems(cp.items, fileAnswers) : [];
      if (problems.length) {
        throw new CliError(`the answers in ${opts.answers} cannot resume checkpoint ${cp.checkpointId}, which still waits for review:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
      }
      const result = await resumeCheckpoint(rt, cp, answers, await sourceName(rt.store, cp.sourceId), { hooks: opts.progress ? [new ProgressBarHook()] : [] });
      report(result, cp, Boolean(opts.json), Boolean(command.optsWithGlobals().verbose), { home: homeFlag(rt.home), root: rootFlag(rt.root) });
      if (result.status === 'failed') process.exitCode = 1;
      else if (result.status === 'pending_review') process.exitCode = 3;
    }, { writer: true });
  });
}

/** Why a superseded checkpoint is not resumed, naming the run that replaced it and what to review instead. */
async function supersededMessage(store: Store, cp: CheckpointWithItems): Promise<string> {
  const { runId, run, pendingCheckpointId } = await supersession(store, cp);
  const source = await sourceName(store, cp.sourceId);
  const by = runId
    ? `run ${runId}${run ? ` (started ${shortTime(run.startedAt)} UTC, ${run.status})` : ''}`
    : 'a later run';
  const instead = pendingCheckpointId
    ? `Review the checkpoint waiting now instead: \`dataraum review list --checkpoint ${pendingCheckpointId}\`, then \`dataraum resume ${pendingCheckpointId} --from-reviews\`.`
    : `No checkpoint of the source waits for review now${runId ? `; \`dataraum status --run ${runId}\` shows what that run did` : ''}.`;
  return `checkpoint ${cp.checkpointId} was superseded by ${by}, a later run of ${source ? `source '${source}'` : 'the same source'}: ` +
    `resuming it would apply its answers to data that may have changed and overwrite that run's tables. ${instead}`;
}

async function sourceName(store: Store, sourceId: string | null): Promise<string | undefined> {
  if (!sourceId) return undefined;
  const row = await store.db.selectFrom('sources').select('name').where('sourceId', '=', sourceId).executeTakeFirst();
  return row?.name;
}

/**
 * The gate's value from the review queue: `{ [itemId]: value }` with the suggested action for an
 * approved item, the modified value for a modified one and null for a rejected one (type_review
 * answers also carry the reviewer's name). Throws a
 * CliError naming the items nobody answered yet.
 *
 * @example
 * ```ts
 * const cp = await getCheckpoint(store, checkpointId);
 * const answers = answersFromReviews(cp!); // { total: { accept: true, total: 10 }, max: { limit: 3 } }
 * await driver.resume(checkpointId, answers, { inputs: runtime.inputs() });
 * ```
 */
export function answersFromReviews(cp: CheckpointWithItems): Record<string, unknown> {
  const pending = cp.items.filter((i) => i.status === 'pending');
  if (pending.length) {
    throw new CliError(
      `checkpoint ${cp.checkpointId} still has ${pending.length} unanswered review item(s): ${pending.map((i) => `'${i.itemId}' (${i.reviewId})`).join(', ')}; ` +
        `answer them with \`dataraum review approve|reject|modify\`, or pass --answers <file>`,
    );
  }
  const answers: Record<string, unknown> = {};
  for (const item of cp.items) {
    const value = item.status === 'approved' ? item.suggestedAction : item.status === 'modified' ? item.modifiedAction : null;
    answers[item.itemId] = item.reviewType === TYPE_REVIEW ? typeReviewAnswer(value, item.reviewedBy, item.reviewNotes, item.status === 'approved') : value;
  }
  return answers;
}

/** Requested values as JSON can carry them; others (connections, class instances) are described, not dumped. */
function jsonValues(values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(values)) out[name] = isPlainJson(v) ? v : `<${v === undefined ? 'undefined' : (Object.getPrototypeOf(v)?.constructor?.name ?? typeof v)}: not shown as JSON>`;
  return out;
}

function isPlainJson(v: unknown, depth = 0): boolean {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (depth > 64 || typeof v !== 'object') return false;
  if (Array.isArray(v)) return v.every((x) => isPlainJson(x, depth + 1));
  const proto = Object.getPrototypeOf(v);
  return (proto === Object.prototype || proto === null) && Object.values(v).every((x) => isPlainJson(x, depth + 1));
}

async function readAnswers(file: string): Promise<unknown> {
  let text: string;
  try {
    text = file === '-' ? await readStdin() : await readFile(path.resolve(file), 'utf8');
  } catch (err) {
    throw new CliError(`cannot read answers from ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new CliError(`answers file ${file} is not JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** `flags`: the --home and --root the printed next commands need (see homeFlag, rootFlag). */
function report(result: RunResult<Record<string, unknown>>, cp: CheckpointWithItems, json: boolean, verbose: boolean, flags: { home: string; root: string }): void {
  const nodes = result.nodes.map((n) => ({ node: n.node, outcome: n.outcome, durationMs: n.durationMs, cacheHit: n.cacheHit, ...(n.error ? { error: n.error } : {}) }));
  if (json) {
    writeJson({
      status: result.status,
      runId: result.runId,
      resumedCheckpoint: cp.checkpointId,
      dataflow: cp.dataflowName,
      durationMs: result.durationMs,
      ...(result.status === 'completed' ? { outputs: Object.keys(result.values), values: jsonValues(result.values) } : {}),
      ...(result.status === 'failed' ? { error: result.error.message, errors: result.errors.map((e) => e.message) } : {}),
      ...(result.status === 'pending_review' ? { checkpoint: result.checkpoint } : {}),
      warnings: result.warnings,
      nodes,
    });
    return;
  }
  const ran = nodes.filter((n) => n.outcome === 'done').length;
  const lines = [`resumed checkpoint ${cp.checkpointId} (${cp.dataflowName}, run ${result.runId}): ${result.status} in ${formatDuration(result.durationMs)}, ${ran} node(s) ran`];
  // What the run made of the answers (e.g. rows typed and quarantined per table), as `dataraum run` prints it.
  if (result.status === 'completed') lines.push(...summaryTexts(result.values));
  if (nodes.length) lines.push(...table(['NODE', 'OUTCOME', 'DURATION', 'ERROR'], nodes.map((n) => [n.node, n.outcome, formatDuration(n.durationMs), oneLine(n.error, 70)])));
  for (const w of result.warnings) lines.push(`warning: ${w.node} failed check ${w.schema}: ${w.issues.map((i) => i.message).join('; ')}`);
  if (result.status === 'failed') {
    process.stderr.write(formatRunErrors([result.error, ...result.errors.slice(1)], verbose) + '\n');
  } else if (result.status === 'pending_review') {
    const next = result.checkpoint;
    lines.push(`paused again at review gate '${next.gate}' (${next.checkpointType}): checkpoint ${next.checkpointId}, ${next.items.length} item(s)`);
    lines.push(`  review: dataraum review list --checkpoint ${next.checkpointId}${flags.home}`);
    lines.push(`  resume: dataraum resume ${next.checkpointId} --from-reviews${flags.home}${flags.root}`);
  }
  writeLines(lines);
}
