/**
 * Source columns named like DuckDB's virtual columns (rowid, file_row_number, filename,
 * file_index) would shadow the row numbers typing and quarantine read. They are staged under a
 * suffixed name, keep their original name, and the whole ingest runs on CSV and NDJSON alike.
 */
import { describe, expect, it } from 'vitest';
import { queryRows, type DuckDBConnection } from '../../nodes/duckdb.ts';
import { profiling } from '../../nodes/profiling/profiling.ts';
import { sourceConfig, staging } from '../../nodes/staging/staging.ts';
import { autoTypeDecisions } from '../../nodes/typing/decisions.ts';
import { typeCandidates } from '../../nodes/typing/inference.ts';
import { typeResolution } from '../../nodes/typing/resolution.ts';
import { stagingFixture } from './helpers.ts';

let duckdb: DuckDBConnection;
const tmp = stagingFixture((c) => (duckdb = c));

const rows = Array.from({ length: 40 }, (_, i) => ({ rowid: i + 100, file_row_number: i * 2, filename: `f${i}.txt`, file_index: i % 3, amount: i === 7 ? 'n/a?' : `${i}.5` }));

describe('columns named like DuckDB virtual columns', () => {
  for (const [kind, content] of [
    ['csv', ['rowid,file_row_number,filename,file_index,amount', ...rows.map((r) => `${r.rowid},${r.file_row_number},${r.filename},${r.file_index},${r.amount}`)].join('\n') + '\n'],
    ['ndjson', rows.map((r) => JSON.stringify(r)).join('\n') + '\n'],
  ] as const) {
    it(`stage, type and quarantine from ${kind}`, async () => {
      const staged = await staging(sourceConfig(tmp.file(`virtual_${kind}.${kind}`, content)), duckdb);
      const [table] = staged.tables;
      expect(table.columns.map((c) => [c.name, c.originalName])).toEqual([
        ['rowid_', 'rowid'], ['file_row_number_', 'file_row_number'], ['filename_', 'filename'], ['file_index_', 'file_index'], ['amount', 'amount'],
      ]);
      await profiling(staged, duckdb);
      const auto = autoTypeDecisions(await typeCandidates(staged, duckdb), staged);
      const decided = Object.fromEntries([...auto.decided, ...auto.uncertain.map((u) => u.suggestion)].map((d) => [d.column, d.decidedType]));
      expect(decided).toMatchObject({ rowid_: 'INTEGER', file_row_number_: 'INTEGER', filename_: 'VARCHAR', amount: 'DECIMAL(4,1)' });
      const resolved = await typeResolution(staged, { decisions: [...auto.decided, ...auto.uncertain.map((u) => u.suggestion)] }, duckdb);
      const r = resolved.tables[table.name];
      expect([r.typedRowCount, r.quarantinedRowCount]).toEqual([39, 1]);
      // The quarantined row is the 8th data row, numbered by its position, not by the source's rowid column.
      const [q] = await queryRows(duckdb, `SELECT _row_number, rowid_, amount FROM "${r.quarantineTable}"`);
      expect({ ...q, _row_number: Number(q._row_number) }).toEqual({ _row_number: 8, rowid_: '107', amount: 'n/a?' });
    });
  }
});
