import type { Command } from 'commander';
import { register as build } from './build.ts';
import { register as graph } from './graph.ts';
import { register as run } from './run.ts';

/** Every sub-command registers itself here. */
export const commands: ReadonlyArray<(program: Command) => void> = [run, build, graph];
