import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Native better-sqlite3 and loopback servers: forks isolate them cleanly.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
