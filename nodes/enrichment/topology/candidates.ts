/**
 * Candidate foreign keys before any value is compared: child columns x referenced columns of the
 * same key family, where the referenced side is unique (or a two-column unique key), pruned by
 * disjoint ranges, by distinct counts the parent can't hold, and by an upper bound of the
 * confidence (what the pair would score at full containment).
 */
import { _comparison, type ColumnStat, type CompositeKey, type SourceStats } from './column-stats.ts';
import { _columnParts, _isOwnKeyName, _keyness, _nameScore, type NameEvidence } from './names.ts';
import { _score, type ScoreOptions } from './scoring.ts';

export interface SingleCandidate {
  readonly kind: 'single';
  readonly child: ColumnStat;
  readonly parent: ColumnStat;
  readonly name: NameEvidence;
  readonly parentKeyness: number;
}

export interface CompositeCandidate {
  readonly kind: 'composite';
  readonly childTable: string;
  readonly childTypedTable: string;
  readonly childColumns: readonly [ColumnStat, ColumnStat];
  readonly parent: CompositeKey;
  readonly parentColumns: readonly [ColumnStat, ColumnStat];
  readonly name: NameEvidence;
}

export interface CandidateSet {
  readonly single: SingleCandidate[];
  readonly composite: CompositeCandidate[];
  /** Type-compatible pairs considered. */
  readonly considered: number;
  /** Pairs dropped before any query. */
  readonly pruned: number;
}

function disjoint(child: ColumnStat, parent: ColumnStat): boolean {
  if (child.nonNull === 0) return false;
  if (child.family === 'integer' && parent.family === 'integer' && child.minNum !== null && child.maxNum !== null && parent.minNum !== null && parent.maxNum !== null) {
    return child.maxNum < parent.minNum || child.minNum > parent.maxNum;
  }
  if (child.family === parent.family) {
    // ISO dates and ASCII strings order the same as text in DuckDB and JavaScript; for anything
    // else, don't prune on range.
    const ascii = (s: string | null) => s !== null && /^[\x20-\x7e]*$/.test(s);
    if (![child.min, child.max, parent.min, parent.max].every(ascii)) return false;
    return (child.max as string) < (parent.min as string) || (child.min as string) > (parent.max as string);
  }
  return false;
}

/** Every child column against every referenced column it could point at. */
export function _candidates(stats: SourceStats, opts: ScoreOptions & { minConfidence: number }): CandidateSet {
  const all = [...stats.columns.values()].flatMap((m) => [...m.values()]);
  // An empty table's key can't be seen to be unique; its name still says it is (an all-null child may reference it).
  const emptyKey = (s: ColumnStat) => s.rowCount === 0 && (_isOwnKeyName(s.column, s.table) || (s.position === 0 && _columnParts(s.column, s.table).keyShaped));
  const parents = all.filter((s) => s.unique || emptyKey(s)).map((p) => ({ stat: p, keyness: _keyness(p.column, p.table, p.position) }));
  const single: SingleCandidate[] = [];
  let considered = 0;
  let pruned = 0;
  for (const child of all) {
    // A table's own key (`id`, `customer_id` in customers) references nothing: without this, every
    // generic `id` column is "contained" in every other table's dense `id`.
    if (_isOwnKeyName(child.column, child.table) && (child.unique || child.nonNull === 0 || child.column.toLowerCase() === 'id')) continue;
    for (const { stat: parent, keyness } of parents) {
      if (!_comparison(child, parent)) continue;
      if (parent.table === child.table && parent.column === child.column) continue;
      considered++;
      if (disjoint(child, parent) || (child.distinct > 0 && parent.distinct / child.distinct < opts.minContainment)) { pruned++; continue; }
      const name = _nameScore(child.table, child.column, parent.table, parent.column, keyness);
      // The best this pair could do: every child value found in the parent.
      const best = _score({ child, parent, name, parentKeyness: keyness, childDistinct: child.distinct, matched: child.distinct, parentDistinct: parent.distinct }, opts);
      if (best.reject || best.confidence < opts.minConfidence) { pruned++; continue; }
      single.push({ kind: 'single', child, parent, name, parentKeyness: keyness });
    }
  }

  const composite: CompositeCandidate[] = [];
  const uniqueNames = new Set(all.filter((s) => s.unique).map((s) => s.column.toLowerCase()));
  for (const key of stats.compositeKeys) {
    const parentCols = key.columns.map((c) => stats.columns.get(key.table)?.get(c)) as [ColumnStat, ColumnStat];
    if (!parentCols[0] || !parentCols[1]) continue;
    for (const [childTable, cols] of stats.columns) {
      if (childTable === key.table) continue;
      // Each parent column needs a child column named for it: value-only tuple matching over every
      // column pair would be quadratic and mostly coincidence. Column names weigh more than the
      // table's here (`l_partkey` names `ps_partkey`, though `part` also abbreviates `partsupp`).
      const ranked = (p: ColumnStat) => {
        // A same-named column counts when the name is key-shaped (`copy_no`) or is a key elsewhere
        // (`isbn`, unique in books) — not for plain attributes (`title`, `from_date`).
        const pp0 = _columnParts(p.column, key.table);
        const pp = { ...pp0, keyShaped: pp0.keyShaped || uniqueNames.has(p.column.toLowerCase()) };
        return [...cols.values()]
          .filter((c) => _comparison(c, p) === 'same' && c.nonNull > 0)
          .map((c) => {
            const cp = _columnParts(c.column, childTable);
            const s: NameEvidence = pp.keyShaped && cp.tokens.join('_') === pp.tokens.join('_') ? { score: 1, rule: 'same-name' }
              : pp.keyShaped && cp.stem.length > 0 && cp.stem.join('_') === pp.stem.join('_') ? { score: 0.9, rule: 'same-stem' }
                : { score: 0.9 * _nameScore(childTable, c.column, key.table, p.column, 1).score, rule: 'name' };
            return { c, s };
          })
          .filter((x) => x.s.score >= 0.7);
      };
      let best: { a: { c: ColumnStat; s: NameEvidence }; b: { c: ColumnStat; s: NameEvidence } } | null = null;
      for (const a of ranked(parentCols[0])) {
        for (const b of ranked(parentCols[1])) {
          if (a.c.column !== b.c.column && (!best || a.s.score + b.s.score > best.a.s.score + best.b.s.score)) best = { a, b };
        }
      }
      considered++;
      if (!best) { pruned++; continue; }
      const { a, b } = best;
      composite.push({
        kind: 'composite', childTable, childTypedTable: a.c.typedTable, childColumns: [a.c, b.c], parent: key, parentColumns: parentCols,
        name: { score: Math.min(a.s.score, b.s.score), rule: `composite:${a.s.rule ?? ''}+${b.s.rule ?? ''}` },
      });
    }
  }
  return { single, composite, considered, pruned };
}
