import type { Command } from 'commander';
import { register as build } from './build.ts';
import { register as graph } from './graph.ts';

/** Every sub-command registers itself here. */
export const commands: ReadonlyArray<(program: Command) => void> = [build, graph];
