#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader, so `npx dataraum` works straight after `npm install`.
import { register } from 'tsx/esm/api';

// A reader that goes away early (`dataraum run x | head`) is not an error: drop the rest of the
// output and let the command finish (and close its databases) as it would have.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv);
