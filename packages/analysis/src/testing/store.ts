import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openStore, type Store } from '../store/client.js'
import { migrate } from '../store/migrate.js'

/** A migrated embedded store in a fresh folder; one per test file (one data folder per process). */
export async function openTestStore(): Promise<{ store: Store; dir: string; cleanup(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'tenure-test-'))
  const store = openStore({ kind: 'embedded', path: dir })
  await migrate(store)
  return {
    store,
    dir,
    async cleanup() {
      await store.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
