import { defineConfig } from 'vitest/config'

// Unit tests run in happy-dom; browser end-to-end tests drive real Chromium from node, each file its own
// process because the collector they start opens an embedded ClickHouse folder.
export default defineConfig({
  test: {
    pool: 'forks',
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'happy-dom',
          include: ['src/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['e2e/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          globalSetup: ['e2e/build.setup.ts'],
        },
      },
    ],
  },
})
