import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openStore, type Store } from '../store/client.js'
import { loadMigrations, migrate } from '../store/migrate.js'

/**
 * A migrated embedded store in a fresh folder; one per test file (one data folder per process).
 * `before`: migrate only to the versions below it, as a data folder from before that migration.
 */
export async function openTestStore(opts: { before?: number } = {}): Promise<{ store: Store; dir: string; cleanup(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'tenure-test-'))
  const store = openStore({ kind: 'embedded', path: dir })
  const before = opts.before
  await migrate(store, before === undefined ? undefined : (await loadMigrations()).filter((m) => m.version < before))
  return {
    store,
    dir,
    async cleanup() {
      await store.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
