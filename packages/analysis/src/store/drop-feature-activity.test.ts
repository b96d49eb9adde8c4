import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openStore, type Store } from './client.js'
import { up as dropUp } from './migrations/042_drop_feature_activity.js'
import { loadMigrations, migrate } from './migrate.js'

const OLD_TABLES = ['feature_activity', 'feature_first_use', 'feature_first_use_mv', 'activity_builds']

describe('the per-day activity tables dropped (migration 042)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tenure-drop-activity-'))
  let store: Store
  const tables = async () =>
    (await (await store.client.query({
      query: `SELECT name FROM system.tables WHERE database = currentDatabase() AND name IN {names:Array(String)} ORDER BY name`,
      query_params: { names: OLD_TABLES },
      format: 'JSONEachRow',
    })).json<{ name: string }>()).map((r) => r.name)
  beforeAll(async () => {
    store = openStore({ kind: 'embedded', path: dir })
  })
  afterAll(async () => {
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('drops the tables and the view of a store that holds rows in them, and leaves the rest', async () => {
    await migrate(store, (await loadMigrations()).filter((m) => m.version < 42))
    expect(await tables()).toEqual([...OLD_TABLES].sort())
    // Rows an older version built, which the view copies on.
    await store.client.insert({
      table: 'feature_activity', format: 'JSONEachRow',
      values: [{ project_id: 'p', timezone: 'UTC', feature_id: 'f', version: 1, user_key: 'u', identified: 1, day: '2026-01-02', account_id: '', uses: 3, updated_at: '2026-01-02 00:00:00' }],
    })
    await store.client.insert({
      table: 'activity_builds', format: 'JSONEachRow',
      values: [{ project_id: 'p', timezone: 'UTC', feature_id: 'f', version: 1, watermark: '2026-01-02 00:00:00', updated_at: '2026-01-02 00:00:00' }],
    })
    await store.client.insert({
      table: 'events', format: 'JSONEachRow',
      values: [{ project_id: 'p', uuid: '00000000-0000-4000-8000-000000000001', event: '$click', timestamp: '2026-01-02 10:00:00', client_timestamp: '2026-01-02 10:00:00', received_at: '2026-01-02 10:00:00', anonymous_id: 'a', user_id: 'u' }],
    })

    expect(await migrate(store, (await loadMigrations()).filter((m) => m.version <= 42))).toEqual([42])
    expect(await tables()).toEqual([])
    // The events, the rollup its view keeps, and the feature definitions stay.
    const left = await (await store.client.query({
      query: `SELECT (SELECT count() FROM events) AS events, (SELECT sum(events) FROM activity_rollup) AS rolled, (SELECT count() FROM feature_definitions) AS defs`,
      format: 'JSONEachRow',
    })).json<{ events: string; rolled: string; defs: string }>()
    expect(left.map((r) => [Number(r.events), Number(r.rolled), Number(r.defs)])).toEqual([[1, 1, 0]])
    // Applied again (as on a second replica), it does nothing and fails on nothing.
    for (const statement of dropUp({})) await store.client.command({ query: statement })
    expect(await tables()).toEqual([])
  })

  it('drops each sharded table through its Distributed front, then its local table, on a cluster', () => {
    expect(dropUp({ cluster: 'analytics' })).toEqual([
      'DROP VIEW IF EXISTS feature_first_use_mv ON CLUSTER analytics',
      'DROP TABLE IF EXISTS feature_first_use ON CLUSTER analytics',
      'DROP TABLE IF EXISTS feature_first_use_local ON CLUSTER analytics',
      'DROP TABLE IF EXISTS feature_activity ON CLUSTER analytics',
      'DROP TABLE IF EXISTS feature_activity_local ON CLUSTER analytics',
      'DROP TABLE IF EXISTS activity_builds ON CLUSTER analytics',
    ])
    expect(dropUp({})).toEqual([
      'DROP VIEW IF EXISTS feature_first_use_mv',
      'DROP TABLE IF EXISTS feature_first_use',
      'DROP TABLE IF EXISTS feature_activity',
      'DROP TABLE IF EXISTS activity_builds',
    ])
  })
})
