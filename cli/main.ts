/**
 * The `dataraum` command. Each sub-command lives in cli/commands/<name>.ts and exports
 * `register(program)`; exit codes: 0 ok, 1 failure, 2 usage error, 3 paused for review.
 */
import { Command, CommanderError } from 'commander';
import { commands } from './commands/index.ts';
import { formatError } from './output.ts';

export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command('dataraum')
    .description('A typed dataflow engine and the context engine built on it')
    .option('--verbose', 'print stack traces and debug output')
    .exitOverride()
    .showHelpAfterError();
  for (const register of commands) register(program);
  try {
    await program.parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? 0 : 2;
    }
    process.stderr.write(formatError(err, Boolean(program.opts().verbose)) + '\n');
    return 1;
  }
}
