/**
 * `dataraum build [dataflow...] [--check] [--root dir]`: writes each dataflow's
 * manifest.generated.ts; with --check writes nothing and exits 1 when a manifest is stale or its
 * dataflow does not build (for CI and pre-commit).
 */
import path from 'node:path';
import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('build')
    .description('Check the dataflows and write their typed manifests (dataflows/<name>/manifest.generated.ts)')
    .argument('[dataflow...]', 'dataflows to build (folder names under dataflows/); default: all')
    .option('--check', 'write nothing; exit 1 if a manifest is stale or a dataflow has errors')
    .option('--root <dir>', 'project root holding dataflows/', process.cwd())
    .action(async (names: string[], opts: { check?: boolean; root: string }) => {
      const root = path.resolve(opts.root);
      const started = performance.now();
      // ts-morph is heavy: load it only when building, not on every `dataraum` call.
      const { buildAll, formatDiagnostic } = await import('../../codegen/index.ts');
      const results = await buildAll({ root, check: Boolean(opts.check), only: names });
      const out: string[] = [];
      const err: string[] = [];
      let failed = false;
      for (const r of results) {
        const file = path.relative(root, r.manifestPath);
        if (r.diagnostics.length) {
          failed = true;
          err.push(`${r.name}: ${r.diagnostics.length} error${r.diagnostics.length === 1 ? '' : 's'}`);
          for (const d of r.diagnostics) err.push(`  ${formatDiagnostic(d)}`);
        } else if (opts.check && r.changed) {
          failed = true;
          err.push(`${r.name}: ${file} is stale; run \`dataraum build ${r.name}\` and commit it`);
        } else if (opts.check) {
          out.push(`${r.name}: ${file} is up to date (${r.nodes} nodes)`);
        } else {
          out.push(`${r.name}: ${r.changed ? 'wrote' : 'unchanged'} ${file} (${r.nodes} nodes)`);
        }
      }
      if (results.length === 0) out.push(`no dataflows found under ${path.join(root, 'dataflows')}`);
      out.push(`${results.length} dataflow${results.length === 1 ? '' : 's'} in ${Math.round(performance.now() - started)} ms`);
      if (out.length) process.stdout.write(out.join('\n') + '\n');
      if (err.length) process.stderr.write(err.join('\n') + '\n');
      if (failed) process.exitCode = 1;
    });
}
