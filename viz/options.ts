/**
 * What a picture of a dataflow should emphasise. Every renderer (DOT, Mermaid, JSON, HTML) takes
 * the same options, so one CLI flag means the same thing in every format.
 */
import type { NodeRunRecord } from '../engine/index.ts';

export interface VizOptions {
  /** Requested outputs: drawn highlighted (bold border, marked in the legend). */
  readonly finalVars?: readonly string[];
  /** Values supplied as overrides: marked, since the run cuts the graph there. */
  readonly overrides?: readonly string[];
  /**
   * Config the `@when`/`@whenNot` conditions are evaluated against. Nodes whose conditions fail
   * are drawn excluded (greyed); conditional nodes that hold are labelled with their condition.
   * Without a config every conditional node is labelled and none is excluded.
   */
  readonly config?: Readonly<Record<string, string>>;
  /** An execution to overlay: nodes are coloured by outcome and labelled with their duration. */
  readonly run?: { readonly nodes: readonly NodeRunRecord[] };
  readonly title?: string;
  /**
   * Tag key whose values give nodes their fill colour (when there is no run overlay).
   * Default: the tag key carried by the most nodes (ties: alphabetical).
   */
  readonly colorTag?: string;
  /** Layout direction: left to right (default) or top down. */
  readonly direction?: 'LR' | 'TD';
}
