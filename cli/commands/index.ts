import type { Command } from 'commander';

/** Every sub-command registers itself here. */
export const commands: ReadonlyArray<(program: Command) => void> = [];
