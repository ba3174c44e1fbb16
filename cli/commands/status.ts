/**
 * `dataraum status [--source s | --run id] [--json]`: each node of a run with its state, duration,
 * cache hit and error; by default the newest run (of the source, when given). A run paused at a
 * review gate also shows its checkpoint and the command that lists its review items.
 *
 * @example
 * ```sh
 * dataraum status --source weather
 * dataraum status --run 0b7c...-... --json
 * ```
 */
import type { Command } from 'commander';
import { getRun, lastRun, type RunWithNodes, type Store } from '../../store/index.ts';
import {
  CliError, formatDuration, homeFlag, isoTime, isUuid, oneLine, requireSource, runtimeOptions, shortTime, sourceNames, table, usageError,
  withRuntime, writeJson, writeLines, type RuntimeFlags,
} from './_shared.ts';

interface StatusOptions extends RuntimeFlags {
  source?: string;
  run?: string;
  json?: boolean;
}

export function register(program: Command): void {
  const cmd = program
    .command('status')
    .description("Show each node of a run: state, duration, cache hit, error (default: the newest run)")
    .option('--source <name>', "the newest run about this source")
    .option('--run <id>', 'this run (ids are listed by `dataraum runs`)')
    .option('--json', 'print JSON instead of a table');
  runtimeOptions(cmd).addHelpText('after', `
Examples:
  $ dataraum status --source weather
  $ dataraum status --run 6f1c2d9e-0c57-4b1e-9a53-3d7f0e2b8a41 --json`);
  cmd.action(async (opts: StatusOptions, command: Command) => {
    if (opts.source !== undefined && opts.run !== undefined) usageError(command, 'pass --source or --run, not both');
    await withRuntime(opts, async ({ store, home }) => {
      const run = await findRun(store, opts);
      const names = await sourceNames(store);
      const checkpoint = run.status === 'pending_review' ? await pausedAt(store, run) : undefined;
      const nodes = run.nodes.map((n) => ({
        node: n.nodeName,
        state: n.status,
        durationMs: n.durationMs,
        cacheHit: Boolean(n.cacheHit),
        error: n.errorMessage,
      }));
      const summary = {
        runId: run.runId,
        dataflow: run.dataflowName,
        source: run.sourceId ? (names.get(run.sourceId) ?? run.sourceId) : null,
        status: run.status,
        startedAt: isoTime(run.startedAt),
        finishedAt: isoTime(run.finishedAt),
        durationMs: run.durationMs,
        error: run.errorMessage,
        ...(checkpoint ? { checkpoint } : {}),
        nodes,
      };
      if (opts.json) return writeJson(summary);
      const counts = new Map<string, number>();
      for (const n of nodes) counts.set(n.state, (counts.get(n.state) ?? 0) + 1);
      const lines = [
        `run ${run.runId}  ${run.dataflowName}${summary.source ? ` / ${summary.source}` : ''}  ${run.status}`,
        `started ${shortTime(run.startedAt)} UTC, ${run.finishedAt ? `took ${formatDuration(run.durationMs)}` : 'not finished'}; ` +
          (nodes.length ? [...counts].map(([s, c]) => `${c} ${s}`).join(', ') : 'no nodes recorded'),
      ];
      if (run.errorMessage) lines.push(`error: ${oneLine(run.errorMessage, 200)}`);
      if (checkpoint) {
        lines.push(`paused at review gate (${checkpoint.checkpointType}): checkpoint ${checkpoint.checkpointId}, ${checkpoint.pendingItems} item(s) pending`);
        lines.push(`  review: dataraum review list --checkpoint ${checkpoint.checkpointId}${homeFlag(home)}`);
        lines.push(`  resume: dataraum resume ${checkpoint.checkpointId} --from-reviews${homeFlag(home)}`);
      }
      if (nodes.length) {
        lines.push('');
        lines.push(...table(
          ['NODE', 'STATE', 'DURATION', 'CACHE', 'ERROR'],
          nodes.map((n) => [n.node, n.state, n.durationMs === null || n.state === 'skipped' ? '-' : formatDuration(n.durationMs), n.cacheHit ? 'hit' : '-', oneLine(n.error, 70)]),
        ));
      }
      writeLines(lines);
    });
  });
}

async function findRun(store: Store, opts: StatusOptions): Promise<RunWithNodes> {
  if (opts.run !== undefined) {
    const run = isUuid(opts.run) ? await getRun(store, opts.run) : undefined;
    if (!run) throw new CliError(`no run '${opts.run}' in ${store.location}; \`dataraum runs\` lists the recent ones`);
    return run;
  }
  const sourceId = opts.source !== undefined ? (await requireSource(store, opts.source)).sourceId : undefined;
  const last = await lastRun(store, sourceId !== undefined ? { sourceId } : {});
  if (!last) {
    throw new CliError(`no runs${opts.source !== undefined ? ` of source '${opts.source}'` : ''} recorded in ${store.location} yet; start one with \`dataraum run\``);
  }
  const run = await getRun(store, last.runId);
  if (!run) throw new CliError(`run ${last.runId} disappeared while reading it; try again`);
  return run;
}

/** The checkpoint a paused run waits at: the engine records the run id in the checkpoint state. */
async function pausedAt(store: Store, run: RunWithNodes): Promise<{ checkpointId: string; checkpointType: string; pendingItems: number } | undefined> {
  let query = store.db
    .selectFrom('checkpoints')
    .select(['checkpointId', 'checkpointType'])
    .where('status', '=', 'pending_review')
    .where('dataflowName', '=', run.dataflowName);
  if (run.sourceId) query = query.where('sourceId', '=', run.sourceId);
  // States can be large (they hold the values a resume needs): read them one at a time, newest
  // first; the run's own checkpoint is almost always the newest.
  let cp: { checkpointId: string; checkpointType: string } | undefined;
  for (const candidate of await query.orderBy('createdAt', 'desc').execute()) {
    const row = await store.db.selectFrom('checkpoints').select('checkpointState').where('checkpointId', '=', candidate.checkpointId).executeTakeFirst();
    if ((row?.checkpointState as { runId?: unknown } | null | undefined)?.runId === run.runId) {
      cp = candidate;
      break;
    }
  }
  if (!cp) return undefined;
  const pending = await store.db
    .selectFrom('reviewQueue')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('checkpointId', '=', cp.checkpointId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return { checkpointId: cp.checkpointId, checkpointType: cp.checkpointType, pendingItems: Number(pending?.n ?? 0) };
}
