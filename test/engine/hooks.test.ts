import { PassThrough } from 'node:stream';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { Builder, OpenTelemetryHook, ProgressBarHook } from '../../engine/index.ts';

const fns = {
  load: async () => { await new Promise((r) => setTimeout(r, 5)); return [1, 2, 3]; },
  total: (load: number[]) => load.reduce((a, b) => a + b, 0),
  broken: (load: number[]) => { throw new Error(`cannot use ${load.length}`); },
};

describe('OpenTelemetryHook', () => {
  it('emits a run span with one child span per node, tags and errors as attributes', async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const dr = await Builder().withFunctions(fns, { total: { tags: { module: 'stats' } } })
      .withHooks(new OpenTelemetryHook(provider.getTracer('test'))).withName('demo').build();
    await dr.run(['total', 'broken'], { failFast: false });
    const spans = exporter.getFinishedSpans();
    const run = spans.find((s) => s.name === 'dataflow demo')!;
    expect(run).toBeDefined();
    const nodes = spans.filter((s) => s.name.startsWith('node '));
    expect(nodes.map((s) => s.name).sort()).toEqual(['node broken', 'node load', 'node total']);
    for (const s of nodes) {
      expect(s.spanContext().traceId).toBe(run.spanContext().traceId);
      expect(s.parentSpanContext?.spanId).toBe(run.spanContext().spanId);
    }
    const total = nodes.find((s) => s.name === 'node total')!;
    expect(total.attributes['dataraum.tag.module']).toBe('stats');
    expect(total.attributes['dataraum.outcome']).toBe('done');
    const broken = nodes.find((s) => s.name === 'node broken')!;
    expect(broken.status.code).toBe(2); // ERROR
    expect(broken.events.some((e) => e.name === 'exception')).toBe(true);
    expect(run.attributes['dataraum.status']).toBe('failed');
  });
});

describe('ProgressBarHook', () => {
  it('prints one line per finished node and a summary when not on a TTY', async () => {
    const stream = new PassThrough() as unknown as NodeJS.WriteStream;
    let out = '';
    (stream as unknown as PassThrough).on('data', (d) => { out += String(d); });
    const dr = await Builder().withFunctions(fns).withHooks(new ProgressBarHook({ stream, live: false })).withName('demo').build();
    await dr.run(['total']);
    expect(out).toMatch(/✓ load \d+ ms \[1\/2\]/);
    expect(out).toMatch(/✓ total \d+ ms \[2\/2\]/);
    expect(out).toMatch(/✓ demo: completed in/);
  });

  it('draws a live bar with the nodes in flight', async () => {
    const stream = new PassThrough() as unknown as NodeJS.WriteStream & { isTTY: boolean; columns: number; cursorTo: () => boolean; clearLine: () => boolean; moveCursor: () => boolean };
    Object.assign(stream, { isTTY: true, columns: 120, cursorTo: () => true, clearLine: () => true, moveCursor: () => true });
    let out = '';
    (stream as unknown as PassThrough).on('data', (d) => { out += String(d); });
    const dr = await Builder().withFunctions(fns).withHooks(new ProgressBarHook({ stream, live: true })).build();
    await dr.run(['total']);
    expect(out).toMatch(/2\/2 nodes/);
    expect(out).toMatch(/completed in/);
  });
});
