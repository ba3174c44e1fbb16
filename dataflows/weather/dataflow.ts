import { defineDataflow } from '../../engine/index.ts';

/** A first real dataflow: daily Seattle weather (vega-datasets) aggregated in DuckDB. */
export default defineDataflow({
  name: 'weather',
  description: 'Daily Seattle weather (vega-datasets) aggregated in DuckDB',
  modules: ['../../nodes/weather/load.ts', '../../nodes/weather/aggregates.ts'],
});
