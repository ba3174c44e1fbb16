/**
 * What semantic enrichment produces: per column a role, a business name and the ontology concept
 * it stands for; per table an entity, its grain, whether it is a fact or a dimension table, and
 * its time axis; and which ontology metrics can be computed on which tables.
 *
 * The heuristic pass produces `SemanticAnnotations`; an LLM pass (later) takes the same value and
 * returns a refined one (`SemanticRefiner`), so everything downstream reads one shape whoever
 * decided it. `source` and `evidence` say who decided and why.
 */
import type { SemanticRole } from '../../../config/ontology.ts';

export type { SemanticRole } from '../../../config/ontology.ts';

/**
 * A relationship between two typed tables, as topology detects it. Only the fields semantic
 * enrichment needs, so any richer relationship value (with ids, cardinality...) fits.
 */
export interface RelationshipHint {
  /** Logical table names (`TypedTable.name`). */
  readonly fromTable: string;
  readonly fromColumn: string;
  readonly toTable: string;
  readonly toColumn: string;
  /** 0..1. */
  readonly confidence: number;
  /** Part of a multi-column key: it marks a foreign-key column, but a join needs all the parts. */
  readonly composite?: boolean;
}

/**
 * Relationships as topology's `relationships` node reports them (foreign keys with one or two
 * columns per side), described structurally so this module does not import topology.
 */
export interface DetectedRelationships {
  readonly relationships: readonly {
    readonly fromTable: string;
    readonly fromColumns: readonly string[];
    readonly toTable: string;
    readonly toColumns: readonly string[];
    readonly confidence: number;
  }[];
}

/** What the `relationships` parameter accepts: plain hints, or topology's result as it is. */
export type RelationshipsInput = readonly RelationshipHint[] | DetectedRelationships;

/** The signals a role decision can rest on. */
export type EvidenceSignal = 'type' | 'cardinality' | 'uniqueness' | 'name_pattern' | 'ontology_hint' | 'relationship';

/** One signal that contributed to a decision, with what it saw. */
export interface Evidence {
  readonly signal: EvidenceSignal;
  /** What was observed, e.g. `12 distinct of 1461 rows`. */
  readonly detail: string;
}

/** Who decided an annotation: these heuristics, a language model, or a person. */
export type AnnotationSource = 'heuristic' | 'llm' | 'manual';

/** Statistics a decision used (from profiling, or one aggregate query per table). */
export interface ColumnStats {
  readonly rowCount: number;
  readonly nullCount: number;
  readonly distinctCount: number;
  /** Min/max as text; null for types without an order (lists, structs) or an all-null column. */
  readonly minValue: string | null;
  readonly maxValue: string | null;
  /** Longest value, for text columns. */
  readonly maxLength: number | null;
  /** Where the numbers come from. */
  readonly from: 'profiling' | 'query';
}

export interface ColumnAnnotation {
  readonly table: string;
  readonly column: string;
  /** DuckDB type of the typed column. */
  readonly type: string;
  readonly role: SemanticRole;
  /** What the column is about: `customer`, `money`, `time`, `location`, ... */
  readonly entityType: string;
  /** Humanized name: `cust_nm` -> `Customer name`. */
  readonly businessName: string;
  readonly businessDescription: string;
  /** The ontology concept the column maps to, if any. */
  readonly ontologyTerm: string | null;
  /** 0..1. */
  readonly confidence: number;
  readonly evidence: readonly Evidence[];
  readonly stats: ColumnStats;
  readonly source: AnnotationSource;
}

export interface TableAnnotation {
  readonly table: string;
  /** The DuckDB table annotated (`typed_<name>`). */
  readonly typedTable: string;
  readonly rowCount: number;
  /** What one row is about, e.g. `airport`, `order`, `flight_airport`. */
  readonly entityType: string;
  readonly description: string;
  /** Smallest set of columns unique over the table (checked in DuckDB); empty when none of up to `maxGrainColumns` columns is. */
  readonly grainColumns: readonly string[];
  readonly isFact: boolean;
  readonly isDimension: boolean;
  /** The column that places a row in time, if any. */
  readonly primaryTimeColumn: string | null;
  /** 0..1, for the fact/dimension and entity decision. */
  readonly confidence: number;
  readonly evidence: readonly Evidence[];
  readonly source: AnnotationSource;
}

export interface SemanticAnnotations {
  readonly sourceName: string;
  /** The ontology whose concepts and hints were applied. */
  readonly ontology: string;
  /** Keyed by logical table name. */
  readonly tables: Readonly<Record<string, TableAnnotation>>;
  /** Keyed by logical table name, then column name, in table order. */
  readonly columns: Readonly<Record<string, Readonly<Record<string, ColumnAnnotation>>>>;
  /** The relationships the decisions used (empty when none were given). */
  readonly relationships: readonly RelationshipHint[];
  readonly annotatedAt: string;
  /** What the LLM pass reported (a refused role, a failed call); absent when it did not run. */
  readonly warnings?: readonly string[];
}

/**
 * The seam for a refinement pass (an LLM, a rules file, a person in a review gate): it receives
 * the heuristic annotations and returns the same shape, marking what it changed with its own
 * `source` and evidence.
 */
export type SemanticRefiner = (draft: SemanticAnnotations) => Promise<SemanticAnnotations>;

/** Where one concept of a bound metric was found. */
export interface ConceptBinding {
  readonly concept: string;
  readonly table: string;
  readonly column: string;
  /** `annotation` when a semantic annotation mapped the column to the concept, else `indicator`. */
  readonly via: 'annotation' | 'indicator';
}

/** An ontology metric whose concepts all map to real columns, with its formula bound to them. */
export interface BoundMetric {
  /** The ontology metric's name, or, when a concept maps to several columns, it and the bound columns: `total_amount_us_gross`. */
  readonly metric: string;
  /** The ontology metric bound. */
  readonly ontologyMetric: string;
  /** The ontology's description; with the columns bound when the metric has several bindings. */
  readonly description: string;
  /** The formula as written in the ontology. */
  readonly formula: string;
  /** The formula with each `{concept}` replaced by its quoted (and, across tables, qualified) column. */
  readonly expression: string;
  /** A complete DuckDB query returning one row with one column named after the metric. */
  readonly sql: string;
  /** Logical tables the metric reads; the first is the one it is reported on. */
  readonly tables: readonly string[];
  readonly bindings: readonly ConceptBinding[];
  readonly outputType: string;
  readonly unit: string | null;
}

export interface OntologyMetrics {
  readonly ontology: string;
  readonly metrics: readonly BoundMetric[];
  /** Per logical table: concept -> its best column, for every concept found in that table. */
  readonly matchedConcepts: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Per logical table: concept -> every column standing for it, best first (the first is `matchedConcepts`'). */
  readonly conceptColumns: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
}
