/**
 * Lifecycle hooks: tiny interfaces the driver calls around a run and around each node.
 * A progress bar, a tracer and the run recorder are all hooks. Every method is optional;
 * the driver only pays for the methods a hook defines.
 */

export interface GraphHookContext {
  readonly runId: string;
  readonly dataflow: string;
  /** Requested outputs. */
  readonly finalVars: readonly string[];
  /** Nodes that will be considered, in execution order (the upstream closure, minus overrides). */
  readonly nodes: readonly string[];
}

export interface NodeHookContext {
  readonly runId: string;
  readonly node: string;
  readonly tags: Readonly<Record<string, string | readonly string[]>>;
}

export type NodeOutcome = 'done' | 'cached' | 'failed' | 'skipped' | 'awaiting_review';

export interface NodeHookResult extends NodeHookContext {
  readonly outcome: NodeOutcome;
  /** Milliseconds spent in the node's function (or cache lookup). */
  readonly durationMs: number;
  readonly error?: unknown;
  readonly cacheHit: boolean;
}

export interface GraphHookResult extends GraphHookContext {
  readonly status: 'completed' | 'failed' | 'pending_review';
  readonly durationMs: number;
  readonly error?: unknown;
}

export interface Hook {
  beforeGraph?(ctx: GraphHookContext): void;
  afterGraph?(result: GraphHookResult): void;
  beforeNode?(ctx: NodeHookContext): void;
  afterNode?(result: NodeHookResult): void;
}
