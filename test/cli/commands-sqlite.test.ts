/** The run commands through the real bin with the embedded SQLite store (see command-suite.ts). */
import { commandSuite } from './command-suite.ts';

commandSuite('sqlite', { full: true });
