/**
 * OpenTelemetry tracing as a hook: one span per run, one child span per node, with the node's
 * tags, outcome and cache hit as attributes, and its error recorded.
 *
 * @example
 * ```ts
 * import { trace } from '@opentelemetry/api';
 * const dr = await Builder().withDataflow(manifest).withHooks(new OpenTelemetryHook(trace.getTracer('etl'))).build();
 * ```
 */
import { context, SpanStatusCode, trace, type Attributes, type Span, type Tracer } from '@opentelemetry/api';
import type { GraphHookContext, GraphHookResult, Hook, NodeHookContext, NodeHookResult } from '../hooks.ts';

export class OpenTelemetryHook implements Hook {
  readonly #tracer: Tracer;
  readonly #runs = new Map<string, Span>();
  readonly #nodes = new Map<string, Span>();

  constructor(tracer: Tracer = trace.getTracer('dataraum')) {
    this.#tracer = tracer;
  }

  beforeGraph(ctx: GraphHookContext): void {
    const span = this.#tracer.startSpan(`dataflow ${ctx.dataflow}`, {
      attributes: { 'dataraum.run_id': ctx.runId, 'dataraum.dataflow': ctx.dataflow, 'dataraum.final_vars': [...ctx.finalVars], 'dataraum.planned_nodes': ctx.nodes.length },
    });
    this.#runs.set(ctx.runId, span);
  }

  beforeNode(ctx: NodeHookContext): void {
    const parent = this.#runs.get(ctx.runId);
    const parentCtx = parent ? trace.setSpan(context.active(), parent) : context.active();
    const span = this.#tracer.startSpan(`node ${ctx.node}`, { attributes: { 'dataraum.node': ctx.node, ...tagAttributes(ctx.tags) } }, parentCtx);
    this.#nodes.set(`${ctx.runId}\u0000${ctx.node}`, span);
  }

  afterNode(res: NodeHookResult): void {
    const key = `${res.runId}\u0000${res.node}`;
    let span = this.#nodes.get(key);
    if (!span) {
      // Skipped nodes never started: record them as zero-length spans so the trace shows the whole plan.
      const parent = this.#runs.get(res.runId);
      span = this.#tracer.startSpan(`node ${res.node}`, { attributes: { 'dataraum.node': res.node, ...tagAttributes(res.tags) } }, parent ? trace.setSpan(context.active(), parent) : undefined);
    }
    this.#nodes.delete(key);
    span.setAttributes({ 'dataraum.outcome': res.outcome, 'dataraum.cache_hit': res.cacheHit, 'dataraum.duration_ms': res.durationMs });
    if (res.error !== undefined) {
      span.recordException(res.error instanceof Error ? res.error : String(res.error));
      span.setStatus({ code: SpanStatusCode.ERROR, message: res.error instanceof Error ? res.error.message : String(res.error) });
    }
    span.end();
  }

  afterGraph(res: GraphHookResult): void {
    const span = this.#runs.get(res.runId);
    if (!span) return;
    this.#runs.delete(res.runId);
    span.setAttribute('dataraum.status', res.status);
    if (res.status === 'failed') span.setStatus({ code: SpanStatusCode.ERROR, message: res.error instanceof Error ? res.error.message : 'failed' });
    span.end();
  }
}

function tagAttributes(tags: NodeHookContext['tags']): Attributes {
  const out: Attributes = {};
  for (const [k, v] of Object.entries(tags)) out[`dataraum.tag.${k}`] = typeof v === 'string' ? v : [...v];
  return out;
}
