import { defineConfig } from 'vitest/config'

// Each test file runs in its own process: an embedded ClickHouse data folder belongs to one process.
export default defineConfig({
  test: {
    pool: 'forks',
    isolate: true,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    include: ['src/**/*.test.{ts,tsx}', 'test/**/*.test.{ts,tsx}'],
  },
})
