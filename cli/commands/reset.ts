/**
 * `dataraum reset --source s [--yes]`: forgets the paused and finished review work of a source
 * and its cached node results, so the next run starts from scratch. Drops the source's checkpoints
 * (with their review items) and its persistent-cache entries; runs stay as history (a run paused
 * at a dropped checkpoint ends as failed). Without `--yes` it only says what it would remove (exit 2).
 *
 * @example
 * ```sh
 * dataraum reset --source weather          # what would go
 * dataraum reset --source weather --yes    # remove it
 * ```
 */
import type { Command } from 'commander';
import { deleteCacheEntries, finishRun, getSourceByName, listRuns, type Store } from '../../store/index.ts';
import { CliError, runtimeOptions, unknownSourceMessage, withRuntime, writeJson, writeLines, type RuntimeFlags } from './_shared.ts';

interface ResetOptions extends RuntimeFlags {
  source: string;
  yes?: boolean;
  json?: boolean;
}

export function register(program: Command): void {
  const cmd = program
    .command('reset')
    .description("Drop a source's checkpoints (and their review items) and its cached node results")
    .requiredOption('--source <name>', 'the source to reset')
    .option('-y, --yes', 'really remove (without it: only list what would go, and exit 2)')
    .option('--json', 'print what was (or would be) removed as JSON');
  runtimeOptions(cmd).addHelpText('after', `
Runs stay listed by \`dataraum runs\` as history (one paused at a dropped checkpoint ends as
failed); the source itself and its tables stay too.

Examples:
  $ dataraum reset --source weather
  $ dataraum reset --source weather --yes`);
  cmd.action(async (opts: ResetOptions) => {
    await withRuntime(opts, async (rt) => {
      const source = await getSourceByName(rt.store, opts.source);
      const checkpoints = source ? await checkpointsOf(rt.store, source.sourceId) : [];
      // The cache is scoped by the source name a run was about, registered source or not.
      const cached = rt.cacheStore.entries().filter((e) => e.scope === opts.source);
      if (!source && !cached.length) throw new CliError(await unknownSourceMessage(rt.store, opts.source));
      const reviewItems = checkpoints.reduce((n, c) => n + c.items, 0);
      const pausedRuns = source ? await listRuns(rt.store, { sourceId: source.sourceId, status: 'pending_review', limit: 10_000 }) : [];
      const plan = {
        source: opts.source,
        checkpoints: checkpoints.length,
        pendingCheckpoints: checkpoints.filter((c) => c.status === 'pending_review').length,
        reviewItems,
        cacheEntries: cached.length,
        pausedRuns: pausedRuns.length,
      };
      if (!opts.yes) {
        if (opts.json) writeJson({ removed: false, ...plan });
        else writeLines([`would remove from source '${opts.source}': ${describe(plan)}`, 'run again with --yes to remove them']);
        process.exitCode = 2;
        return;
      }
      let removedIndex = 0;
      if (source) {
        const ids = checkpoints.map((c) => c.checkpointId);
        // One transaction: a reset that fails half-way leaves the store as it was.
        removedIndex = await rt.store.transaction(async (trx) => {
          // Review items go with their checkpoint (ON DELETE CASCADE).
          if (ids.length) await trx.deleteFrom('checkpoints').where('checkpointId', 'in', ids).execute();
          // A run paused at a dropped checkpoint can never resume: end it, so `runs` doesn't show it waiting.
          for (const run of pausedRuns) {
            await finishRun({ db: trx }, run.runId, { status: 'failed', errorMessage: `its review checkpoint was dropped by \`dataraum reset --source ${opts.source}\`` });
          }
          return (await deleteCacheEntries({ db: trx }, { sourceId: source.sourceId })).length;
        });
      }
      const cacheEntries = rt.cacheStore.clear({ scope: opts.source });
      const removed = { ...plan, cacheEntries, ...(removedIndex ? { cacheIndexRows: removedIndex } : {}) };
      if (opts.json) writeJson({ removed: true, ...removed });
      else writeLines([`removed from source '${opts.source}': ${describe(removed)}`]);
    }, { writer: true });
  });
}

async function checkpointsOf(store: Store, sourceId: string): Promise<{ checkpointId: string; status: string; items: number }[]> {
  const rows = await store.db
    .selectFrom('checkpoints as c')
    .leftJoin('reviewQueue as r', 'r.checkpointId', 'c.checkpointId')
    .select(['c.checkpointId', 'c.status'])
    .select((eb) => eb.fn.count<number | string>('r.reviewId').as('items'))
    .where('c.sourceId', '=', sourceId)
    .groupBy(['c.checkpointId', 'c.status'])
    .execute();
  return rows.map((r) => ({ checkpointId: r.checkpointId, status: r.status, items: Number(r.items) }));
}

function describe(p: { checkpoints: number; pendingCheckpoints: number; reviewItems: number; cacheEntries: number; pausedRuns: number }): string {
  return `${p.checkpoints} checkpoint(s) (${p.pendingCheckpoints} waiting for review) with ${p.reviewItems} review item(s), ` +
    `${p.cacheEntries} cache entr${p.cacheEntries === 1 ? 'y' : 'ies'}` +
    (p.pausedRuns ? `; ${p.pausedRuns} run(s) paused at them end as failed` : '');
}
