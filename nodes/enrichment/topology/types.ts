/**
 * What topology produces: foreign keys between the typed tables of one source (with the evidence
 * behind each), many-to-many links through bridge tables, and join paths between tables.
 */

/** How many rows of the referenced side one child row meets, read from the child (`from`) side. */
export type Cardinality =
  /** The child column is unique too: each parent row has at most one child row. */
  | 'one_to_one'
  /** The usual foreign key (1:n read from the parent): many child rows per parent row. */
  | 'many_to_one'
  /** Two parents linked through a bridge table (n:m). */
  | 'many_to_many';

/** Which evidence carried the decision. */
export type DetectionMethod =
  /** Value containment and a name that points at the referenced table/column. */
  | 'value_and_name'
  /** Value containment alone (e.g. `flights.origin -> airports.iata`). */
  | 'value'
  /** The name alone: the child column has no non-null values to check. */
  | 'name';

/** One column of a relationship end. */
export interface ColumnRef {
  /** Logical table name (`TypedTable.name`). */
  readonly table: string;
  /** Column name in the typed table. */
  readonly column: string;
}

/** The numbers a foreign key was judged on. */
export interface RelationshipEvidence {
  /** Share of the child's distinct non-null values (tuples, for composites) found in the parent; null when the child has no values. */
  readonly containment: number | null;
  readonly childDistinct: number;
  readonly childNonNull: number;
  readonly childRows: number;
  readonly parentDistinct: number;
  /** Distinct child values found in the parent. */
  readonly matchedDistinct: number;
  /** Share of the parent's distinct values that some child row references. */
  readonly parentCoverage: number;
  /** 0..1: how strongly the names say child -> parent (see `_nameScore`). */
  readonly nameScore: number;
  /** Which name rule matched, e.g. `column=<table>_<key>` or `role:manager->employees`. */
  readonly nameRule: string | null;
  /** 0..1: how much the referenced column looks like its table's key. */
  readonly parentKeyness: number;
  /** 0..1: confidence from the names alone. */
  readonly nameConfidence: number;
  /** 0..1: confidence from the values alone (discounted for dense or small domains). */
  readonly valueConfidence: number;
  /** The referenced column is a dense integer (or date) range, where inclusion is cheap. */
  readonly parentDense: boolean;
  /** Why the confidence was lowered, in words. */
  readonly penalties: readonly string[];
  /** Child and parent value ranges as text (min/max), when comparable. */
  readonly childRange: readonly [string | null, string | null];
  readonly parentRange: readonly [string | null, string | null];
}

/** A detected foreign key: child columns -> referenced (unique) columns. */
export interface Relationship {
  /** Stable key: `child.table(cols)->parent.table(cols)`. */
  readonly key: string;
  readonly relationshipType: 'foreign_key';
  readonly fromTable: string;
  /** One column, or two for a composite key, in the order that pairs with `toColumns`. */
  readonly fromColumns: readonly string[];
  readonly toTable: string;
  readonly toColumns: readonly string[];
  readonly cardinality: 'one_to_one' | 'many_to_one';
  /**
   * How values were compared: `native` with `=` on the typed columns (also whole DOUBLE = BIGINT),
   * `text` as VARCHAR on both sides (an integer id on one side, text or uuid on the other).
   * Checks of the key (referential integrity) should compare the same way. Always set by
   * `relationships`; optional so that hand-built relationships (tests, fixtures) may omit it: absent means `native`.
   */
  readonly comparison?: 'native' | 'text';
  /** 0..1. */
  readonly confidence: number;
  readonly detectionMethod: DetectionMethod;
  readonly evidence: RelationshipEvidence;
}

/** Two parents linked n:m through a bridge table holding a foreign key to each. */
export interface ManyToMany {
  readonly key: string;
  readonly bridgeTable: string;
  /** The bridge's two foreign keys (keys of `Relationship`). */
  readonly via: readonly [string, string];
  readonly left: ColumnRef;
  readonly right: ColumnRef;
  readonly cardinality: 'many_to_many';
  /** Product of the two foreign keys' confidences. */
  readonly confidence: number;
}

/** A candidate that was measured but not kept, with why (for explanations and tuning). */
export interface RejectedCandidate {
  readonly fromTable: string;
  readonly fromColumns: readonly string[];
  readonly toTable: string;
  readonly toColumns: readonly string[];
  readonly confidence: number;
  readonly containment: number | null;
  readonly reason: string;
}

/** Work done, so that the cost of detection is visible. */
export interface TopologyStats {
  readonly tables: number;
  readonly columns: number;
  /** Columns unique enough to be referenced (distinct = non-null count). */
  readonly uniqueColumns: number;
  /** Two-column unique keys found in tables without a single-column one. */
  readonly compositeKeys: number;
  /** Type-compatible child -> parent pairs before any pruning. */
  readonly candidatePairs: number;
  /** Pairs that could not reach the minimum confidence even at full containment (never queried). */
  readonly prunedBeforeQuery: number;
  /** Pairs whose containment was measured. */
  readonly measuredPairs: number;
  /** DuckDB queries run, by purpose. */
  readonly queries: { readonly columnStats: number; readonly compositeKeys: number; readonly containment: number };
}

/** The value of the `relationships` node. */
export interface RelationshipsResult {
  readonly sourceName: string;
  /** Foreign keys, strongest first. */
  readonly relationships: readonly Relationship[];
  readonly manyToMany: readonly ManyToMany[];
  /** Measured candidates that were not kept (at most `maxRejected`), strongest first. */
  readonly rejected: readonly RejectedCandidate[];
  readonly stats: TopologyStats;
}

/** One hop of a join path. */
export interface JoinStep {
  readonly fromTable: string;
  readonly fromColumns: readonly string[];
  readonly toTable: string;
  readonly toColumns: readonly string[];
  /** The foreign key this hop follows (`Relationship.key`). */
  readonly relationship: string;
  /** `child_to_parent` follows the foreign key, `parent_to_child` walks it backwards. */
  readonly direction: 'child_to_parent' | 'parent_to_child';
  readonly confidence: number;
  /** DuckDB join condition on the typed tables, e.g. `"typed_orders"."customer_id" = "typed_customers"."id"`. */
  readonly condition: string;
  /** The whole clause: `JOIN "typed_customers" ON <condition>`. */
  readonly sql: string;
}

/** A way to join `fromTable` to `toTable`. */
export interface JoinPath {
  readonly fromTable: string;
  readonly toTable: string;
  readonly steps: readonly JoinStep[];
  readonly length: number;
  /** Product of the steps' confidences. */
  readonly totalConfidence: number;
  /** `SELECT * FROM "typed_a" JOIN ... JOIN ...`: runnable as is. */
  readonly sql: string;
}

/** The value of the `joinPaths` node. */
export interface JoinPathsResult {
  readonly sourceName: string;
  /** Both directions of every connected pair of distinct tables (up to `maxLength` hops). */
  readonly paths: readonly JoinPath[];
  readonly maxLength: number;
}

/** The value of the `storedRelationships` node. */
export interface StoredRelationships {
  /** Relationship rows inserted or updated. */
  readonly relationships: number;
  /** Existing rows a person confirmed, whose confirmation was kept. */
  readonly keptConfirmed: number;
  /** Unconfirmed rows of this source's tables that were no longer detected, removed. */
  readonly removedStale: number;
  readonly joinPaths: number;
  /** What could not be stored and why (e.g. missing table or column ids). */
  readonly warnings: readonly string[];
}
