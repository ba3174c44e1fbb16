/**
 * A dataflow definition: which node modules make up the DAG. The build step reads
 * `dataflows/<name>/dataflow.ts` and writes `manifest.generated.ts` beside it.
 *
 * @example
 * ```ts
 * // dataflows/weather/dataflow.ts
 * import { defineDataflow } from '../../engine/index.ts';
 * export default defineDataflow({
 *   name: 'weather',
 *   description: 'Daily Seattle weather aggregates',
 *   modules: ['../../nodes/weather/load.ts', '../../nodes/weather/aggregates.ts'],
 * });
 * ```
 */
export interface DataflowDefinition {
  readonly name: string;
  readonly description?: string;
  /** Node module paths, relative to the dataflow's folder. */
  readonly modules: readonly string[];
}

export function defineDataflow(def: DataflowDefinition): DataflowDefinition {
  return Object.freeze({ ...def, modules: Object.freeze([...def.modules]) });
}
