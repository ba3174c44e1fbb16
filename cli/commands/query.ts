/**
 * `dataraum query "SQL" [--json] [--max-rows n] [--timeout ms]`: one read-only SELECT over the
 * typed_* and quarantine_* tables, on the same engine as the MCP `query` tool (writes, files,
 * URLs, raw_* and metadata tables are refused with the reason).
 *
 * @example
 * ```sh
 * dataraum query "SELECT state, count(*) AS n FROM typed_airports GROUP BY 1 ORDER BY 2 DESC" --max-rows 5
 * dataraum query "SELECT * FROM typed_airports LIMIT 3" --json
 * ```
 */
import { join } from 'node:path';
import type { Command } from 'commander';
import { runReadOnlyQuery, type JsonValue, type ReadOnlyQueryResult } from '../../server/query/read-only-query.ts';
import { resolveHome } from '../runtime.ts';
import { CliError, positiveInt, requireHome, runtimeOptions, table, writeJson, writeLines, type RuntimeFlags } from './_shared.ts';

interface QueryOptions extends RuntimeFlags {
  json?: boolean;
  maxRows: number;
  timeout: number;
}

export function register(program: Command): void {
  const cmd = program
    .command('query')
    .description('Run one read-only SELECT over the typed_* / quarantine_* tables (DuckDB SQL)')
    .argument('<sql>', 'one SELECT / WITH / VALUES statement')
    .option('--json', 'print { columns, rows, rowCount, truncated, elapsedMs } as JSON')
    .option('--max-rows <n>', 'rows shown at most', positiveInt('--max-rows'), 100)
    .option('--timeout <ms>', 'interrupt the query after this many milliseconds', positiveInt('--timeout'), 10_000);
  runtimeOptions(cmd).addHelpText('after', `
Examples:
  $ dataraum query "SELECT state, count(*) AS n FROM typed_airports GROUP BY 1 ORDER BY 2 DESC" --max-rows 5
  $ dataraum query "SELECT * FROM quarantine_flights_airport LIMIT 10" --json`);
  cmd.action(async (sql: string, opts: QueryOptions) => {
    // Only the DuckDB file is needed: the metadata store is not opened.
    const home = resolveHome(opts.home);
    requireHome(home, { folderOnly: true });
    let result: ReadOnlyQueryResult;
    try {
      result = await runReadOnlyQuery(join(home, 'data.duckdb'), sql, { maxRows: opts.maxRows, timeoutMs: opts.timeout });
    } catch (err) {
      throw new CliError(err instanceof Error ? err.message : String(err));
    }
    if (opts.json) return writeJson(result);
    const cell = (v: JsonValue, type: string): string => (v === null ? 'NULL' : typeof v === 'object' ? JSON.stringify(v) : typeof v === 'number' ? decimalText(v, type) : String(v));
    writeLines(table(result.columns.map((c) => c.name), result.rows.map((r) => result.columns.map((c) => cell(r[c.name] ?? null, c.type)))));
    process.stderr.write(`${result.rowCount} row${result.rowCount === 1 ? '' : 's'}${result.truncated ? ` (truncated at --max-rows ${opts.maxRows})` : ''} in ${result.elapsedMs} ms\n`);
  });
}

/**
 * A DECIMAL that arrived as a JSON number (it is exact) printed with its scale, as DuckDB prints
 * it: DECIMAL(5,2) 1.1 -> `1.10`. Padding the shortest text keeps it exact, where toFixed would
 * print the binary double's digits.
 */
function decimalText(n: number, type: string): string {
  const scale = Number(/^DECIMAL\(\d+,\s*(\d+)\)$/i.exec(type)?.[1] ?? 0);
  const s = String(n);
  if (!scale || /e/i.test(s)) return s;
  const [whole, frac = ''] = s.split('.');
  return `${whole}.${frac.padEnd(scale, '0')}`;
}
