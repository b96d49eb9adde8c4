import { defineConfig } from 'vitest/config'

/** Tests over the embedded ClickHouse engine: each file in its own process, since a data folder belongs to one process. */
export function storeTests(include: string[]) {
  return defineConfig({
    test: {
      pool: 'forks',
      isolate: true,
      testTimeout: 60_000,
      hookTimeout: 60_000,
      include,
    },
  })
}
