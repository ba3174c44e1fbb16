/**
 * `dataraum cache logs [--dataflow d] [--node n] [--source s] [--json]` lists the persistent
 * cache's entries (node, code version, data version, size, created); `dataraum cache clear
 * [--dataflow d] [--node n] [--source s]` drops the matching ones (all without a filter) and the
 * values nothing refers to any more.
 *
 * @example
 * ```sh
 * dataraum cache logs --dataflow ingest
 * dataraum cache clear --dataflow ingest --node profiling
 * ```
 */
import type { Command } from 'commander';
import type { CacheEntry } from '../../engine/index.ts';
import { runtimeOptions, shortTime, table, withRuntime, writeJson, writeLines, type RuntimeFlags } from './_shared.ts';

interface CacheFilterOptions extends RuntimeFlags {
  dataflow?: string;
  node?: string;
  source?: string;
  json?: boolean;
}

export function register(program: Command): void {
  const cache = program
    .command('cache')
    .description('Inspect or clear the persistent cache of node results (<home>/cache)')
    .addHelpText('after', `
Examples:
  $ dataraum cache logs --dataflow ingest
  $ dataraum cache clear --node profiling`);

  const logs = filterOptions(cache.command('logs').description('List cache entries, newest first: node, code version, data version, size, created'))
    .option('--json', 'print JSON (an array of entries) instead of a table');
  runtimeOptions(logs).addHelpText('after', `
Example:
  $ dataraum cache logs --dataflow ingest --json`);
  logs.action(async (opts: CacheFilterOptions) => {
    await withRuntime(opts, async (rt) => {
      const entries = rt.cacheStore.entries().filter((e) => matches(e, opts)).sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.node.localeCompare(b.node));
      if (opts.json) return writeJson(entries);
      if (!entries.length) return writeLines([`no cache entries${describeFilter(opts)} in ${rt.cacheStore.dir}`]);
      const total = entries.reduce((n, e) => n + e.sizeBytes, 0);
      writeLines([
        ...table(
          ['NODE', 'DATAFLOW', 'SOURCE', 'CODE', 'DATA', 'SIZE', 'CREATED (UTC)'],
          entries.map((e) => [e.node, e.dataflow, e.scope ?? '-', e.codeVersion.slice(0, 12), e.dataVersion.slice(0, 12), formatBytes(e.sizeBytes), shortTime(e.createdAt)]),
        ),
        `${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}, ${formatBytes(total)}`,
      ]);
    });
  });

  const clear = filterOptions(cache.command('clear').description('Drop cache entries matching every given filter (all entries without one)'))
    .option('--json', 'print how many entries went as JSON');
  runtimeOptions(clear).addHelpText('after', `
Examples:
  $ dataraum cache clear --dataflow ingest --node profiling
  $ dataraum cache clear            # everything`);
  clear.action(async (opts: CacheFilterOptions) => {
    await withRuntime(opts, async (rt) => {
      const removed = rt.cacheStore.clear({
        ...(opts.dataflow !== undefined ? { dataflow: opts.dataflow } : {}),
        ...(opts.node !== undefined ? { node: opts.node } : {}),
        ...(opts.source !== undefined ? { scope: opts.source } : {}),
      });
      const left = rt.cacheStore.entries().length;
      if (opts.json) return writeJson({ removed, remaining: left });
      writeLines([`removed ${removed} cache entr${removed === 1 ? 'y' : 'ies'}${describeFilter(opts)}; ${left} left`]);
    });
  });
}

function filterOptions(cmd: Command): Command {
  return cmd
    .option('--dataflow <name>', 'only entries of this dataflow')
    .option('--node <name>', 'only entries of this node')
    .option('--source <name>', 'only entries of runs about this source');
}

function matches(e: CacheEntry, f: CacheFilterOptions): boolean {
  return (f.dataflow === undefined || e.dataflow === f.dataflow) && (f.node === undefined || e.node === f.node) && (f.source === undefined || e.scope === f.source);
}

function describeFilter(f: CacheFilterOptions): string {
  const parts = [f.dataflow && `dataflow '${f.dataflow}'`, f.node && `node '${f.node}'`, f.source && `source '${f.source}'`].filter(Boolean);
  return parts.length ? ` for ${parts.join(', ')}` : '';
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
