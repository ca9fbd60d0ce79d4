import { defineConfig } from 'vitest/config';

// PGlite start-up costs seconds and hundreds of MB (docs/adr/0001), and the machine has 2 cores:
// keep the number of worker processes small and the timeouts generous.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'web/dist/**', 'dist/**'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default', 'json'],
    outputFile: { json: '.test-results/vitest.json' },
  },
});
