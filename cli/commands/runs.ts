/**
 * `dataraum runs [--dataflow d] [--source s] [--status st] [--limit n] [--json]`: recent runs,
 * newest first (id, dataflow, source, status, started, duration).
 *
 * @example
 * ```sh
 * dataraum runs --source weather --limit 5
 * dataraum runs --dataflow ingest --json | jq -r '.[0].runId'
 * ```
 */
import { Option, type Command } from 'commander';
import { listRuns, type RunStatus } from '../../store/index.ts';
import {
  formatDuration, isoTime, oneLine, positiveInt, requireSource, runtimeOptions, shortTime, sourceNames, table,
  withRuntime, writeJson, writeLines, type RuntimeFlags,
} from './_shared.ts';

interface RunsOptions extends RuntimeFlags {
  dataflow?: string;
  source?: string;
  status?: RunStatus;
  limit: number;
  json?: boolean;
}

const STATUSES: readonly RunStatus[] = ['running', 'completed', 'failed', 'pending_review'];

export function register(program: Command): void {
  const cmd = program
    .command('runs')
    .description('List recent runs, newest first')
    .option('--dataflow <name>', 'only runs of this dataflow')
    .option('--source <name>', 'only runs about this source')
    .addOption(new Option('--status <status>', 'only runs with this status').choices(STATUSES))
    .option('-n, --limit <n>', 'at most this many runs', positiveInt('--limit'), 20)
    .option('--json', 'print JSON (an array of runs) instead of a table');
  runtimeOptions(cmd).addHelpText('after', `
Examples:
  $ dataraum runs --source weather --limit 5
  $ dataraum runs --status pending_review --json`);
  cmd.action(async (opts: RunsOptions) => {
    await withRuntime(opts, async ({ store }) => {
      const sourceId = opts.source !== undefined ? (await requireSource(store, opts.source)).sourceId : undefined;
      const rows = await listRuns(store, {
        ...(opts.dataflow !== undefined ? { dataflow: opts.dataflow } : {}),
        ...(sourceId !== undefined ? { sourceId } : {}),
        ...(opts.status !== undefined ? { status: opts.status } : {}),
        limit: opts.limit,
      });
      const names = await sourceNames(store);
      const runs = rows.map((r) => ({
        runId: r.runId,
        dataflow: r.dataflowName,
        source: r.sourceId ? (names.get(r.sourceId) ?? r.sourceId) : null,
        status: r.status,
        startedAt: isoTime(r.startedAt),
        finishedAt: isoTime(r.finishedAt),
        durationMs: r.durationMs,
        error: r.errorMessage,
      }));
      if (opts.json) return writeJson(runs);
      if (!runs.length) {
        const filters = [opts.dataflow && `dataflow '${opts.dataflow}'`, opts.source && `source '${opts.source}'`, opts.status && `status ${opts.status}`].filter(Boolean);
        return writeLines([`no runs${filters.length ? ` for ${filters.join(', ')}` : ''} in ${store.location}`]);
      }
      writeLines(table(
        ['RUN', 'DATAFLOW', 'SOURCE', 'STATUS', 'STARTED (UTC)', 'DURATION', 'ERROR'],
        runs.map((r) => [r.runId, r.dataflow, r.source ?? '-', r.status, shortTime(r.startedAt), r.status === 'running' ? '-' : formatDuration(r.durationMs), oneLine(r.error, 60)]),
      ));
    });
  });
}
