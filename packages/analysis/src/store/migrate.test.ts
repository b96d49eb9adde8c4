import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestStore } from '../testing/store.js'
import { loadMigrations, migrate } from './migrate.js'
import type { Store } from './client.js'

describe('migrations on the embedded engine', () => {
  let t: Awaited<ReturnType<typeof openTestStore>>
  let store: Store
  beforeAll(async () => {
    t = await openTestStore()
    store = t.store
  })
  afterAll(() => t.cleanup())

  it('creates the event table and records every version once', async () => {
    const rs = await store.client.query({ query: 'SELECT name FROM system.tables WHERE database = currentDatabase() ORDER BY name', format: 'JSONEachRow' })
    const names = (await rs.json<{ name: string }>()).map((r) => r.name)
    expect(names).toEqual(expect.arrayContaining(['events', 'person_aliases', 'projects', 'schema_migrations', 'user_accounts']))
    const versions = (await loadMigrations()).map((m) => m.version)
    expect(await migrate(store)).toEqual([])
    const applied = await store.client.query({ query: 'SELECT count() AS n FROM schema_migrations FINAL', format: 'JSONEachRow' })
    expect(Number((await applied.json<{ n: string }>())[0]!.n)).toBe(versions.length)
  })

  it('flushes every insert of the tables the collector writes to disk', async () => {
    const rs = await store.client.query({
      query: "SELECT name, engine_full FROM system.tables WHERE database = currentDatabase() AND name IN ('events', 'person_aliases', 'user_accounts') ORDER BY name",
      format: 'JSONEachRow',
    })
    const tables = await rs.json<{ name: string; engine_full: string }>()
    expect(tables.map((t) => t.name)).toEqual(['events', 'person_aliases', 'user_accounts'])
    for (const t of tables) {
      expect(t.engine_full).toMatch(/fsync_after_insert = 1/)
      expect(t.engine_full).toMatch(/fsync_part_directory = 1/)
    }
  })

  it('collapses a retried event (same uuid) into one row', async () => {
    const row = {
      project_id: 'p1', uuid: '0190f5f4-8a4e-7c3b-9d2a-1b2c3d4e5f60', event: '$click',
      timestamp: '2026-01-05 10:00:00.000', client_timestamp: '2026-01-05 10:00:00.000', received_at: '2026-01-05 10:00:01.000',
      anonymous_id: 'a1', user_id: 'u1', account_id: 'acc1', elements: [], properties: '{}',
    }
    for (let i = 0; i < 3; i++) {
      await store.client.insert({ table: 'events', values: [{ ...row, received_at: `2026-01-05 10:00:0${i + 1}.000` }], format: 'JSONEachRow' })
    }
    const rs = await store.client.query({ query: 'SELECT count() AS n FROM events FINAL', format: 'JSONEachRow' })
    expect(Number((await rs.json<{ n: string }>())[0]!.n)).toBe(1)
  })
})
