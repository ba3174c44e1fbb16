/**
 * `dataraum context [--source s] [--format markdown|json|yaml] [--tables a,b] [--modules m,n]`:
 * prints the context document the ingest wrote for a source (the latest, or the only one), trimmed
 * to some tables and parts.
 *
 * @example
 * ```sh
 * dataraum context --source airports --format markdown
 * dataraum context --tables flights_airport --modules tables,queries --format json
 * ```
 */
import { join } from 'node:path';
import type { Command } from 'commander';
import { CONTEXT_MODULES, type ContextModule } from '../../nodes/context/schema.ts';
import { renderContext, type ContextFormat } from '../../nodes/context/render-context.ts';
import { ContextSelectionError, selectContext } from '../../nodes/context/select-context.ts';
import { currentContextDocument } from '../../server/http/context-document.ts';
import { openStore, type Store } from '../../store/index.ts';
import { missingHome, resolveHome } from '../runtime.ts';
import { CliError, requireHome, runtimeOptions, usageError } from './_shared.ts';

const FORMATS = ['markdown', 'json', 'yaml'] as const;

interface ContextOptions {
  source?: string;
  format: string;
  tables?: string;
  modules?: string;
  home?: string;
}

export function register(program: Command): void {
  const cmd = program
    .command('context')
    .description('Print the context document of an ingested source (what an AI or a person reads about it)')
    .option('-s, --source <name>', 'the source (default: the only source that has a context document)')
    .option('-f, --format <format>', `one of ${FORMATS.join(', ')}`, 'markdown')
    .option('-t, --tables <names>', 'comma-separated logical table names to keep (default: all)')
    .option('-m, --modules <names>', `comma-separated parts to keep: ${CONTEXT_MODULES.join(', ')} (default: all)`);
  runtimeOptions(cmd).addHelpText('after', `
Examples:
  $ dataraum run node_modules/vega-datasets/data/airports.csv && dataraum context
  $ dataraum context --source airports --format yaml --modules tables,quality`);
  cmd.action(async (opts: ContextOptions, command: Command) => {
    if (!(FORMATS as readonly string[]).includes(opts.format)) usageError(command, `--format must be one of ${FORMATS.join(', ')}, got '${opts.format}'`);
    const list = (s: string | undefined) => s?.split(',').map((x) => x.trim()).filter(Boolean);
    const modules = list(opts.modules);
    const bad = modules?.filter((m) => !(CONTEXT_MODULES as readonly string[]).includes(m)) ?? [];
    if (bad.length) usageError(command, `--modules: unknown ${bad.join(', ')}; choose from ${CONTEXT_MODULES.join(', ')}`);
    const home = resolveHome(opts.home);
    requireHome(home, { folderOnly: true });
    // People's annotations live in the metadata store; a home holding only its files has none.
    const store: Store | undefined = missingHome(home) ? undefined : await openStore({ sqlitePath: join(home, 'metadata.sqlite') });
    let doc;
    try {
      doc = await currentContextDocument(home, opts.source, store);
    } finally {
      await store?.close();
    }
    const tables = list(opts.tables);
    let picked;
    try {
      picked = selectContext(doc, { ...(tables ? { tables } : {}), ...(modules ? { include_modules: modules as ContextModule[] } : {}) });
    } catch (err) {
      if (err instanceof ContextSelectionError) throw new CliError(`--tables: ${err.message}`);
      throw err;
    }
    process.stdout.write(renderContext(picked, opts.format as ContextFormat));
  });
}
