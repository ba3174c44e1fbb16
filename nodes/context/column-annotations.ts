/**
 * What the context document says a column is, once people's annotations and the relationships
 * found in the data are laid over the automatic annotation. `contextDocument` settles every column
 * this way when it writes the document, and `withManualAnnotations` settles it again when the
 * document is read (CLI, HTTP, MCP), so an annotation made since the last run shows at once and
 * both give the same answer.
 */
import { columnKey, columnLinks, linkedRole } from '../enrichment/semantic/column-roles.ts';
import type { ManualColumnAnnotation } from '../enrichment/semantic/stored-semantic-annotations.ts';
import { ContextDocumentSchema, type ColumnContext, type ContextDocument } from './schema.ts';

/** People's column annotations by table and column. */
export type ManualAnnotations = Readonly<Record<string, Readonly<Record<string, ManualColumnAnnotation>>>>;

/** The fields of a column that annotations decide. */
export type AnnotatedFields = Pick<ColumnContext, 'role' | 'business_name' | 'description' | 'ontology_term'>;

/**
 * The column as the document states it. A person's name, description and concept win over the
 * automatic ones. The role is a person's too, except that a relationship found in the data makes
 * the referencing column a foreign key (unless it is its own table's key) and the referenced
 * column a key: a manual row also carries the role the heuristics gave when the person only
 * renamed the column, and the store cannot tell the two apart.
 */
export function settleColumn(auto: AnnotatedFields, manual: ManualColumnAnnotation | undefined, references: string | undefined, referenced: boolean): AnnotatedFields {
  const role = manual?.role ?? auto.role;
  const base = manual?.description ?? auto.description;
  const note = references ? `References ${references}.` : null;
  return {
    role: linkedRole(role, references !== undefined, referenced),
    business_name: manual?.businessName ?? auto.business_name,
    description: note && !base?.includes(note) ? `${base ? `${base} ` : ''}${note}` : base,
    // A concept matched on the name alone is unreliable for a column that references another table.
    ontology_term: references ? manual?.ontologyTerm ?? null : manual?.ontologyTerm ?? auto.ontology_term,
  };
}

/**
 * The document with people's annotations laid over its columns (the relationships it lists still
 * decide the key roles); the document itself when there are none.
 *
 * @example
 * ```ts
 * const doc = withManualAnnotations(written, { orders: { amount: { role: null, businessName: 'Order amount (EUR)', description: null, ontologyTerm: null } } });
 * doc.tables[0].columns.find((c) => c.name === 'amount')?.business_name; // 'Order amount (EUR)'
 * ```
 */
export function withManualAnnotations(doc: ContextDocument, manual: ManualAnnotations): ContextDocument {
  if (!Object.values(manual).some((t) => Object.keys(t).length)) return doc;
  const links = columnLinks(doc.relationships.map((r) => ({ fromTable: r.from_table, fromColumns: r.from_columns, toTable: r.to_table, toColumns: r.to_columns })));
  return ContextDocumentSchema.parse({
    ...doc,
    tables: doc.tables.map((t) => ({
      ...t,
      columns: t.columns.map((c) => {
        const m = manual[t.name]?.[c.name];
        if (!m) return c;
        const key = columnKey(t.name, c.name);
        return { ...c, ...settleColumn(c, m, links.references.get(key), links.referenced.has(key)) };
      }),
    })),
  });
}
