import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Finds out once per run whether PostgreSQL is there for the store's PostgreSQL cases; gives
    // the run its own temporary folder.
    globalSetup: ['test/postgres-setup.ts', 'test/global-setup.ts'],
  },
});
