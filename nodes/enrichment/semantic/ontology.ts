/**
 * The ontology semantic enrichment applies, and its record in the metadata store.
 */
import { loadOntology, type ResolvedOntology } from '../../../config/ontology.ts';
import type { StoreContext } from '../../../store/index.ts';

export interface StoredOntology {
  readonly ontologyId: string;
  readonly name: string;
  readonly isBuiltin: boolean;
}

/**
 * The named ontology with everything it extends merged in (config/ontologies, or `ontologyDir`).
 * @tag module=semantic
 *
 * @example
 * ```ts
 * ontology('retail').lineage; // ['retail', 'base']
 * ```
 */
export function ontology(ontologyName: string = 'base', ontologyDir?: string): ResolvedOntology {
  return loadOntology(ontologyName, ontologyDir);
}

/**
 * The resolved ontology, upserted into `ontologies` by name (one row per ontology; replays update it).
 * @tag module=semantic
 * @cache disable
 *
 * @example
 * ```ts
 * const { ontologyId, isBuiltin } = await storedOntology(loadOntology('retail'), store); // isBuiltin: true
 * ```
 */
export async function storedOntology(ontology: ResolvedOntology, store: StoreContext): Promise<StoredOntology> {
  const at = new Date().toISOString();
  const content = {
    description: ontology.description,
    version: ontology.version,
    // Plain JSON copies: the resolved ontology is frozen, and the store's JSON codec wants plain values.
    concepts: structuredClone([...ontology.concepts]),
    metrics: structuredClone([...ontology.metrics]),
    qualityRules: structuredClone([...ontology.qualityRules]),
    semanticHints: structuredClone([...ontology.semanticHints]),
    isBuiltin: ontology.builtin,
    updatedAt: at,
  };
  const row = await store.db.insertInto('ontologies')
    .values({ ontologyId: crypto.randomUUID(), name: ontology.name, createdAt: at, ...content })
    .onConflict((oc) => oc.column('name').doUpdateSet(content))
    .returning(['ontologyId', 'name', 'isBuiltin'])
    .executeTakeFirstOrThrow();
  return { ontologyId: row.ontologyId, name: row.name, isBuiltin: row.isBuiltin };
}
