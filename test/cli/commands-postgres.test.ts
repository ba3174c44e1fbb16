/**
 * The run commands through the real bin with DATARAUM_DATABASE_URL pointing at a fresh database
 * on the test PostgreSQL server (see command-suite.ts and test/setup/postgres.ts).
 */
import { commandSuite } from './command-suite.ts';

commandSuite('postgres', { full: false });
