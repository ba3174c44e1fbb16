/**
 * The heuristic decisions for one table: which columns to try as its grain (in what order), what
 * entity a row is, fact or dimension, the primary time column, and a description.
 */
import type { SemanticRole } from '../../../config/ontology.ts';
import type { TypedTable } from '../types.ts';
import type { ColumnDecision } from './column-roles.ts';
import { typeKind } from './concept-matching.ts';
import { entityFromTableName } from './names.ts';
import { describeTable } from './table-description.ts';
import type { ColumnStats, Evidence, RelationshipHint } from './types.ts';

/**
 * Columns worth trying as the grain, most plausible first: keys, identifiers, times, then
 * dimensions. A grain names what a row is about; a quantity, a name, a label or an address that
 * happens to be unique (63 first names) does not, so measures and attributes never enter, except
 * an attribute that identifies the row (a country listed once per row).
 */
export function grainCandidates(table: TypedTable, decisions: Readonly<Record<string, ColumnDecision>>, stats: Readonly<Record<string, ColumnStats>>): string[] {
  return table.columns
    .filter((c) => {
      const kind = typeKind(c.type);
      if (grainRank(decisions[c.name]!) === null) return false;
      if (kind === 'other' || kind === 'float' || kind === 'decimal') return false;
      // Long free text makes a poor key even when it happens to be unique.
      return !(kind === 'text' && (stats[c.name]?.maxLength ?? 0) > 200);
    })
    .sort((a, b) => grainRank(decisions[a.name]!)! - grainRank(decisions[b.name]!)! || a.position - b.position)
    .map((c) => c.name);
}

/** Best first; null for columns that never make a grain. */
function grainRank(d: ColumnDecision): number | null {
  if (d.role === 'measure') return null;
  if (d.role === 'key') return 0;
  if (d.identifies || d.role === 'foreign_key') return 1;
  if (d.role === 'timestamp') return 2;
  if (d.role === 'dimension') return 3;
  return null;
}

export interface TableDecision {
  readonly entityType: string;
  readonly description: string;
  readonly isFact: boolean;
  readonly isDimension: boolean;
  readonly primaryTimeColumn: string | null;
  readonly confidence: number;
  readonly evidence: readonly Evidence[];
}

/** Fact vs dimension, entity, time axis and description of a table whose columns and grain are decided. */
export function decideTable(
  table: TypedTable,
  decisions: Readonly<Record<string, ColumnDecision>>,
  stats: Readonly<Record<string, ColumnStats>>,
  grain: readonly string[],
  relationships: readonly RelationshipHint[],
): TableDecision {
  const byRole = (role: SemanticRole) => table.columns.filter((c) => decisions[c.name]!.role === role).map((c) => c.name);
  const measures = byRole('measure');
  const foreignKeys = byRole('foreign_key');
  const timestamps = byRole('timestamp');
  const descriptive = [...byRole('attribute'), ...byRole('dimension')];
  const keyGrain = grain.length === 1 && decisions[grain[0]!]!.role === 'key' ? grain[0]! : null;
  const referencedBy = relationships.filter((r) => r.toTable === table.name && r.fromTable !== table.name);
  const evidence: Evidence[] = [
    { signal: 'type', detail: `roles: ${measures.length} measure, ${foreignKeys.length} foreign key, ${timestamps.length} timestamp, ${descriptive.length} attribute/dimension` },
    { signal: 'uniqueness', detail: grain.length ? `grain (${grain.join(', ')}) is unique over ${table.rowCount} rows` : `no combination of candidate columns is unique over ${table.rowCount} rows` },
  ];
  if (referencedBy.length) evidence.push({ signal: 'relationship', detail: `referenced by ${referencedBy.map((r) => `${r.fromTable}.${r.fromColumn}`).join(', ')}` });

  // Fact: measured events that point at other entities (or at least at a time axis, when no
  // single key makes each row an entity of its own). Dimension: one row per key, described.
  let isFact = false;
  let isDimension = false;
  let confidence = 0.5;
  if (measures.length && foreignKeys.length) {
    isFact = true;
    confidence = 0.85;
    evidence.push({ signal: 'cardinality', detail: `measures (${measures.join(', ')}) per foreign key (${foreignKeys.join(', ')}) over ${table.rowCount} rows` });
  } else if (measures.length && timestamps.length && !keyGrain) {
    isFact = true;
    confidence = 0.7;
    evidence.push({ signal: 'cardinality', detail: `measures (${measures.join(', ')}) over time (${timestamps.join(', ')}), no single-column key` });
  } else if (measures.length && grain.length > 1) {
    // Measures per combination of identifiers/dimensions (species per county, flights per route):
    // the references topology has not (yet) confirmed as foreign keys.
    isFact = true;
    confidence = 0.65;
    evidence.push({ signal: 'cardinality', detail: `measures (${measures.join(', ')}) per ${grain.join(' + ')}` });
  } else if (referencedBy.length && (keyGrain || grain.length === 1)) {
    isDimension = true;
    confidence = 0.9;
  } else if (keyGrain && descriptive.length >= Math.max(1, measures.length)) {
    isDimension = true;
    confidence = 0.7;
    evidence.push({ signal: 'uniqueness', detail: `one row per ${keyGrain}, described by ${descriptive.length} attribute/dimension columns` });
  }

  const tableEntity = entityFromTableName(table.name);
  const entityType = keyGrain ? keyEntityOf(decisions[keyGrain]!, tableEntity) : tableEntity;
  const primaryTimeColumn = pickTimeColumn(timestamps, grain, decisions, stats, table);
  const description = describeTable({
    kind: isFact ? 'fact' : isDimension ? 'dimension' : 'other', entityType, rowCount: table.rowCount, grain, primaryTimeColumn, measures,
    refersTo: [...new Set(foreignKeys.map((f) => decisions[f]!.references ?? decisions[f]!.entityType))],
  });
  return { entityType, description, isFact, isDimension, primaryTimeColumn, confidence, evidence };
}

function keyEntityOf(decision: ColumnDecision, tableEntity: string): string {
  return decision.entityType && decision.entityType !== 'identifier' ? decision.entityType : tableEntity;
}

/**
 * In the grain first (it orders the rows), then dates and timestamps over years stored as numbers,
 * then event times over audit times of the same kind, then fewest nulls, then position.
 */
function pickTimeColumn(
  timestamps: readonly string[],
  grain: readonly string[],
  decisions: Readonly<Record<string, ColumnDecision>>,
  stats: Readonly<Record<string, ColumnStats>>,
  table: TypedTable,
): string | null {
  if (!timestamps.length) return null;
  const audit = new Set(['created_at', 'updated_at']);
  const position = new Map(table.columns.map((c) => [c.name, c.position]));
  const score = (c: string): number[] => [
    grain.includes(c) ? 0 : 1,
    typeKind(table.columns.find((x) => x.name === c)!.type) === 'temporal' ? 0 : 1,
    audit.has(decisions[c]!.ontologyTerm ?? '') ? 1 : 0,
    stats[c]?.nullCount ?? 0,
    position.get(c) ?? 0,
  ];
  return [...timestamps].sort((a, b) => {
    const sa = score(a);
    const sb = score(b);
    for (let i = 0; i < sa.length; i++) if (sa[i] !== sb[i]) return sa[i]! - sb[i]!;
    return 0;
  })[0]!;
}
