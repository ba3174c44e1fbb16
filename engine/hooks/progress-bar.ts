/**
 * A live progress display for terminal runs: one bar for the run, the nodes in flight by name.
 * Writes to stderr so stdout stays clean for `--json` output; on a non-TTY it prints one line per
 * finished node instead of redrawing.
 *
 * @example
 * ```ts
 * const dr = await Builder().withDataflow(manifest).withHooks(new ProgressBarHook()).build();
 * ```
 */
import cliProgress from 'cli-progress';
import type { GraphHookContext, GraphHookResult, Hook, NodeHookContext, NodeHookResult } from '../hooks.ts';

export interface ProgressBarOptions {
  readonly stream?: NodeJS.WriteStream;
  /** Redraw in place (default: when the stream is a TTY). */
  readonly live?: boolean;
}

const ICON: Record<NodeHookResult['outcome'], string> = { done: '✓', cached: '↺', failed: '✗', skipped: '-', awaiting_review: '⏸' };

export class ProgressBarHook implements Hook {
  readonly #stream: NodeJS.WriteStream;
  readonly #live: boolean;
  #bar?: cliProgress.SingleBar;
  #running = new Set<string>();
  #done = 0;
  #total = 0;

  constructor(opts: ProgressBarOptions = {}) {
    this.#stream = opts.stream ?? process.stderr;
    this.#live = opts.live ?? Boolean(this.#stream.isTTY);
  }

  beforeGraph(ctx: GraphHookContext): void {
    this.#total = ctx.nodes.length;
    this.#done = 0;
    this.#running.clear();
    if (!this.#live) return;
    this.#bar = new cliProgress.SingleBar(
      { stream: this.#stream, format: ' {bar} {value}/{total} nodes | {elapsed}s | {running}', hideCursor: true, clearOnComplete: false, etaBuffer: 20, fps: 10, barsize: 24 },
      cliProgress.Presets.shades_classic,
    );
    this.#bar.start(this.#total, 0, { running: '', elapsed: '0.0' });
  }

  beforeNode(ctx: NodeHookContext): void {
    this.#running.add(ctx.node);
    this.#bar?.update({ running: this.#runningText() });
  }

  afterNode(res: NodeHookResult): void {
    this.#running.delete(res.node);
    this.#done++;
    if (this.#bar) {
      this.#bar.update(this.#done, { running: this.#runningText() });
    } else {
      const note = res.error instanceof Error ? `: ${res.error.message}` : res.cacheHit ? ' (cached)' : '';
      this.#stream.write(`${ICON[res.outcome]} ${res.node} ${res.durationMs.toFixed(0)} ms [${this.#done}/${this.#total}]${note}\n`);
    }
  }

  afterGraph(res: GraphHookResult): void {
    if (this.#bar) {
      this.#bar.update({ running: res.status });
      this.#bar.stop();
      this.#bar = undefined;
    }
    this.#stream.write(`${res.status === 'completed' ? '✓' : res.status === 'failed' ? '✗' : '⏸'} ${res.dataflow}: ${res.status} in ${(res.durationMs / 1000).toFixed(2)} s\n`);
  }

  #runningText(): string {
    const names = [...this.#running];
    const text = names.slice(0, 3).join(', ') + (names.length > 3 ? ` +${names.length - 3}` : '');
    return text.length > 60 ? `${text.slice(0, 57)}...` : text;
  }
}
