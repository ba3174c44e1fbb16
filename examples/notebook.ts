/**
 * A REPL-style session with the engine, no build step: run it with `npx tsx examples/notebook.ts`
 * (or paste the cells into `npx tsx` one by one).
 */
import { writeFileSync } from 'node:fs';
import { Builder } from '../engine/index.ts';
import { render } from '../viz/index.ts';

// Cell 1: a few plain functions. The function name is the value it produces; parameter names are
// the values it needs. `days` is produced by nobody: it's an input. `currency` has a default.
const spend = (days: number) => Array.from({ length: days }, (_, d) => 100 + ((d * 37) % 50));
const signups = (days: number) => Array.from({ length: days }, (_, d) => 10 + ((d * 13) % 7));
const totalSpend = (spend: number[]) => spend.reduce((a, b) => a + b, 0);
const costPerSignup = (totalSpend: number, signups: number[]) => totalSpend / signups.reduce((a, b) => a + b, 0);
const headline = (costPerSignup: number, currency = 'EUR') => `cost per signup: ${costPerSignup.toFixed(2)} ${currency}`;

const dr = await Builder().withFunctions({ spend, signups, totalSpend, costPerSignup, headline }).build();

// Cell 2: execute part of the graph. Only `spend` and `totalSpend` run.
console.log(await dr.execute(['totalSpend'], { inputs: { days: 30 } }));

// Cell 3: the whole thing; results are typed (`headline` is a string).
const { headline: text, costPerSignup: cps } = await dr.execute(['headline', 'costPerSignup'], { inputs: { days: 30, currency: 'USD' } });
console.log(text, typeof cps);

// Cell 4: what if spend had been 10% lower? Override a node: its upstream is not computed.
const lower = await dr.execute(['headline'], { inputs: { days: 30 }, overrides: { totalSpend: 0.9 * 3745 } });
console.log(lower.headline);

// Cell 5: missing inputs are reported all at once, before anything runs.
await dr.execute(['headline']).catch((e: Error) => console.log(e.message));

// Cell 6: look at the DAG: Mermaid in the terminal, an HTML page with the last run overlaid.
const run = await dr.run(['headline'], { inputs: { days: 30 } });
console.log(render('mermaid', dr.manifest, { finalVars: ['headline'] }));
writeFileSync('notebook-dag.html', render('html', dr.manifest, { finalVars: ['headline'], run: { nodes: run.nodes } }));
console.log('wrote notebook-dag.html; upstream of headline:', dr.upstreamOf('headline').join(', '));
