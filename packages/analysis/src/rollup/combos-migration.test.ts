import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { activityParams, featurePositions, ROLLUP_ACTIVITY } from '../activity/rows.sql.js'
import { featuresToMeasure } from '../accounts/defined-features.js'
import { measureUsage, type UsageWindow } from '../accounts/usage.js'
import { createFeature, listFeatures } from '../features/store.js'
import { insertFixtureEvents, utc, type FixtureEvent } from '../retention/__fixtures__/events.js'
import type { Store } from '../store/client.js'
import { loadMigrations, migrate } from '../store/migrate.js'
import { COMBO_SQL, up as combosUp } from '../store/migrations/045_activity_combos.js'
import { openTestStore } from '../testing/store.js'
import { createFeatureOfEachRuleKind } from './__fixtures__/features.js'
import { backfillActivityRollup } from './backfill.js'
import { combosComplete } from './status.js'

/**
 * Migration 045 on a data folder with events stored before it: until the background job has added
 * their combinations to `activity_combos`, reports test each rollup row's own columns; after it,
 * they look the row's `combo` up. Both give the same figures, and later events' combinations
 * arrive with them.
 */
const at = (day: number, time = '09:00') => utc('2025-03-01', day, time)
const history: FixtureEvent[] = [
  { user: 'u1', account: 'acme', at: at(0), path: '/reports/1' },
  { user: 'u1', account: 'acme', at: at(0, '09:05'), path: '/reports/1', elements: [{ tag: 'button', id: 'export', text: 'Export' }] },
  { user: 'u1', account: 'acme', at: at(2), path: '/help/billing' },
  { user: 'u2', account: 'acme', at: at(1), event: 'report_shared' },
  { user: 'u2', account: 'acme', at: at(3), path: '/settings', featureKey: 'seats' },
  { anon: 'a3', account: 'bolt', at: at(1), path: '/reports/9', elements: [{ tag: 'a', classes: ['nav'], text: 'Upgrade' }] },
  { user: 'u4', account: 'bolt', at: at(4), event: 'support_contact' },
]
const windows: UsageWindow[] = [
  { id: 'acme', accountId: 'acme', from: '2025-03-01', to: '2025-03-08' },
  { id: 'bolt', accountId: 'bolt', from: '2025-03-01', to: '2025-03-08' },
]

async function usage(store: Store) {
  const measured = await measureUsage(store.client, 'p', windows, { features: (await featuresToMeasure(store.client, 'p')).conditions })
  return Object.fromEntries([...measured].map(([id, u]) => [id, { ...u, features: Object.fromEntries(u.features) }]))
}
/** Each activity row's features as the retention reports see them, testing combinations or the row's columns. */
async function positions(store: Store, combos: boolean) {
  const defs = await listFeatures(store.client, 'p')
  const rs = await store.client.query({
    query: `SELECT user_key, toString(day) AS day, ${featurePositions(defs, combos)} AS ts FROM (${ROLLUP_ACTIVITY}) ORDER BY user_key, day, ts`,
    query_params: { ...activityParams(defs), project: 'p', tz: 'UTC' },
    format: 'JSONEachRow',
  })
  return rs.json<{ user_key: string; day: string; ts: number[] }>()
}
const combos = async (store: Store) =>
  (await store.client.query({ query: `SELECT event, path, feature_key FROM activity_combos FINAL WHERE project_id = 'p' ORDER BY event, path, feature_key`, format: 'JSONEachRow' })).json()

describe('combinations kept at ingest (migration 045)', () => {
  let store: Store
  let cleanup: () => Promise<void>
  beforeAll(async () => {
    ;({ store, cleanup } = await openTestStore({ before: 45 }))
    await insertFixtureEvents(store.client, 'p', history)
    await createFeatureOfEachRuleKind(store.client, 'p')
  }, 120_000)
  afterAll(async () => {
    await cleanup?.()
  })

  it('tests rows on their columns until the job has added the stored events, then through their combination', async () => {
    // The later migrations too: their tables wait for the same job, and the reports read the rollup until then.
    expect(await migrate(store)).toEqual((await loadMigrations()).map((m) => m.version).filter((v) => v >= 45))
    expect(await combosComplete(store.client, 'p')).toBe(false)
    const before = await usage(store)
    expect(before.acme!.features).toEqual({ exporting: { users: 1, events: 1 }, upgrading: { users: 1, events: 1 }, reports: { users: 1, events: 2 }, seats: { users: 1, events: 1 } })
    expect([before.acme!.helpViews, before.bolt!.supportContacts]).toEqual([1, 1])
    expect(before.bolt!.features).toEqual({ upgrading: { users: 1, events: 1 }, reports: { users: 1, events: 1 } })
    const rowPositions = await positions(store, false)
    expect(rowPositions.flatMap((r) => r.ts).length).toBeGreaterThan(0)

    expect(await backfillActivityRollup(store)).toEqual({ projects: 1, stopped: false })
    expect(await combosComplete(store.client, 'p')).toBe(true)
    expect(await combos(store)).toHaveLength(7)
    expect(await usage(store)).toEqual(before)
    expect(await positions(store, true)).toEqual(rowPositions)
    // Done: a second run has nothing left to do.
    expect(await backfillActivityRollup(store)).toEqual({ projects: 0, stopped: false })

    // A later event's combination arrives with it; a feature defined afterwards counts the past too.
    await insertFixtureEvents(store.client, 'p', [{ user: 'u2', account: 'acme', at: at(5), path: '/reports/7', elements: [{ tag: 'button', id: 'export', text: 'Export' }] }])
    await createFeature(store.client, 'p', { id: 'settings', name: 'Settings', rules: [{ type: 'url', pattern: '/settings' }] })
    const after = await usage(store)
    expect(after.acme!.features).toEqual({
      exporting: { users: 2, events: 2 }, upgrading: { users: 1, events: 1 }, reports: { users: 2, events: 3 }, seats: { users: 1, events: 1 }, settings: { users: 1, events: 1 },
    })
    expect(await positions(store, true)).toEqual(await positions(store, false))
    // Every stored row's combination is the hash of its columns, whether written before the migration or after.
    const rs = await store.client.query({ query: `SELECT countIf(combo != ${COMBO_SQL}) AS wrong, count() AS n FROM activity_rollup`, format: 'JSONEachRow' })
    expect(await rs.json()).toEqual([{ wrong: 0, n: 8 }])
  })

  it('runs again without harm (a second replica), and on a cluster alters the shards and feeds the dictionary from theirs', async () => {
    const before = await combos(store)
    for (const statement of combosUp({})) await store.client.command({ query: statement })
    await backfillActivityRollup(store)
    expect(await combos(store)).toEqual(before)

    const cluster = combosUp({ cluster: 'analytics' })
    expect(cluster.filter((s) => s.includes('ADD COLUMN IF NOT EXISTS combo'))).toEqual([
      expect.stringMatching(/^ALTER TABLE activity_rollup_local ON CLUSTER analytics/),
      expect.stringMatching(/^ALTER TABLE activity_rollup ON CLUSTER analytics/),
    ])
    expect(cluster.find((s) => s.startsWith('CREATE TABLE IF NOT EXISTS activity_combos_local'))).toContain('ReplicatedReplacingMergeTree')
    expect(cluster.find((s) => s.startsWith('CREATE TABLE IF NOT EXISTS activity_combos ON CLUSTER'))).toMatch(/AS activity_combos_local ENGINE = Distributed/)
    expect(cluster.find((s) => s.startsWith('CREATE MATERIALIZED VIEW'))).toMatch(/TO activity_combos_local AS[\s\S]*FROM events_local/)
  })
})
