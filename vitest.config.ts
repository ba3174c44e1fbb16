import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Two cores: keep workers few so DuckDB and PostgreSQL tests don't starve each other.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    globalSetup: ['test/setup/postgres.ts'],
    execArgv: ['--expose-gc'],
  },
});
