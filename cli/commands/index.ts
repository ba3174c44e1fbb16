import type { Command } from 'commander';
import { register as build } from './build.ts';
import { register as graph } from './graph.ts';
import { register as run } from './run.ts';
import { register as runs } from './runs.ts';
import { register as status } from './status.ts';
import { register as review } from './review.ts';
import { register as resume } from './resume.ts';
import { register as reset } from './reset.ts';
import { register as cache } from './cache.ts';
import { register as serve } from './serve.ts';
import { register as context } from './context.ts';
import { register as mcp } from './mcp.ts';
import { register as query } from './query.ts';

/** Every sub-command registers itself here. */
export const commands: ReadonlyArray<(program: Command) => void> = [run, build, graph, runs, status, review, resume, reset, cache, serve, context, mcp, query];
