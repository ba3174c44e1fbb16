/**
 * The typed tables of a source, as enrichment, quality and the context document read them.
 */
import type { TypedSource } from '../enrichment/types.ts';
import type { StagingResult } from '../staging/types.ts';
import type { StoredTypes } from './stored-types.ts';
import type { TypeResolutionResult } from './types.ts';

/**
 * Every typed table of the source with its columns' types and metadata-store ids.
 * @tag module=typing
 */
export function typedSource(staging: StagingResult, typeResolution: TypeResolutionResult, storedTypeResolution: StoredTypes): TypedSource {
  return {
    sourceName: staging.sourceName,
    tables: staging.tables.flatMap((t) => {
      const r = typeResolution.tables[t.name];
      if (!r) return [];
      const ids = storedTypeResolution.tables[t.name];
      const original = new Map(t.columns.map((c) => [c.name, c]));
      return [{
        name: t.name,
        typedTable: r.typedTable,
        rowCount: r.typedRowCount,
        tableId: ids?.typedTableId,
        quarantinedRows: r.quarantinedRowCount,
        quarantineTable: r.quarantineTable,
        rejectedRows: t.rejectCount ?? t.rejects.length,
        ...(t.rejectsTable ? { rejectsTable: t.rejectsTable } : {}),
        columns: Object.entries(r.columns).map(([name, c], position) => ({
          name,
          originalName: original.get(name)?.originalName ?? name,
          position: original.get(name)?.position ?? position,
          type: c.resolvedType,
          columnId: ids?.columns[name],
        })),
      }];
    }),
  };
}
