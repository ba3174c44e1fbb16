/** Tuning of foreign-key detection and join paths, with defaults that suit typical schemas. */

export interface TopologyOptions {
  /** Minimum share of the child's distinct values found in the parent. Default 0.9 (tolerates orphans). */
  readonly minContainment?: number;
  /** A foreign key is kept at this confidence or more. Default 0.5. */
  readonly minConfidence?: number;
  /**
   * Child columns with fewer distinct values than this are kept only with strong name evidence:
   * flags and tiny code lists fit into almost any key. Default 3.
   */
  readonly minChildDistinct?: number;
  /** Composite keys are searched among at most this many columns of a table. Default 8. */
  readonly maxCompositeColumns?: number;
  /** How many rejected candidates to report. Default 50. */
  readonly maxRejected?: number;
}

export interface JoinPathOptions {
  /** Longest join path, in hops. Default 3. */
  readonly maxLength?: number;
  /** Paths below this total confidence are dropped. Default 0. */
  readonly minTotalConfidence?: number;
}

export const TOPOLOGY_DEFAULTS: Required<TopologyOptions> = Object.freeze({
  minContainment: 0.9,
  minConfidence: 0.5,
  minChildDistinct: 3,
  maxCompositeColumns: 8,
  maxRejected: 50,
});

export const JOIN_PATH_DEFAULTS: Required<JoinPathOptions> = Object.freeze({
  maxLength: 3,
  minTotalConfidence: 0,
});
