import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { insertFixtureEvents, utc, type FixtureEvent } from '../retention/__fixtures__/events.js'
import type { Store } from '../store/client.js'
import { openTestStore } from '../testing/store.js'
import { loadMigrations, migrate } from '../store/migrate.js'
import { up as firstTouchUp } from '../store/migrations/044_first_touch.js'
import { backfillActivityRollup } from './backfill.js'
import { rollupCoverage } from './status.js'

/**
 * Migration 044 on a data folder with page views stored before it: the background job adds them
 * to `first_touch`, the view adds later ones, and each user key keeps its earliest page view
 * whatever the order the page views arrive in.
 */
const history: FixtureEvent[] = [
  // u1's first page view came from a campaign on a phone; a later one from elsewhere.
  { user: 'u1', at: utc('2025-01-10', 0, '09:00'), device: 'mobile', query: '?utm_source=spring' },
  { user: 'u1', at: utc('2025-01-12', 0, '09:00'), device: 'desktop', referrer: 'https://news.example/' },
  // A click is no page view: a2's first page view is the later one.
  { anon: 'a2', at: utc('2025-01-11', 0, '08:00'), elements: [{ tag: 'button' }] },
  { anon: 'a2', at: utc('2025-01-11', 0, '08:05'), device: 'tablet', referrer: 'https://www.google.com/' },
]

const firstTouch = async (store: Store) =>
  (await store.client.query({
    query: `SELECT identified, user_key, toString(min(first_at)) AS at, argMinMerge(touch) AS touch FROM first_touch
      WHERE project_id = 'p' GROUP BY identified, user_key ORDER BY identified, user_key`,
    format: 'JSONEachRow',
  })).json<{ identified: number; user_key: string; at: string; touch: string[] }>()

describe('first page views kept at ingest (migration 044)', () => {
  let store: Store
  let cleanup: () => Promise<void>
  beforeAll(async () => {
    ;({ store, cleanup } = await openTestStore({ before: 44 }))
    await insertFixtureEvents(store.client, 'p', history)
    await backfillActivityRollup(store)
  }, 120_000)
  afterAll(async () => {
    await cleanup?.()
  })

  const expected = [
    { identified: 0, user_key: 'a2', at: '2025-01-11 08:05:00.000', touch: ['https://app.example.com/', 'https://www.google.com/', 'tablet', '/', '', '', ''] },
    { identified: 1, user_key: 'u1', at: '2025-01-10 09:00:00.000', touch: ['https://app.example.com/?utm_source=spring', '', 'mobile', '/', '', '', ''] },
  ]

  it('adds the page views stored before it in the background job, and later ones as they arrive', async () => {
    expect(await migrate(store, (await loadMigrations()).filter((m) => m.version <= 44))).toEqual([44])
    expect(await firstTouch(store)).toEqual([])
    // The rollup's counts are complete all along: only the first page views wait for the job.
    expect((await rollupCoverage(store.client, 'p')).complete).toBe(true)
    expect(await backfillActivityRollup(store)).toEqual({ projects: 1, stopped: false })
    expect(await firstTouch(store)).toEqual(expected)
    // Done: a second run has nothing left to do.
    expect(await backfillActivityRollup(store)).toEqual({ projects: 0, stopped: false })

    // A later page view changes nothing; one that arrives late but happened earlier takes over.
    await insertFixtureEvents(store.client, 'p', [{ user: 'u1', at: utc('2025-01-20', 0, '09:00'), device: 'desktop' }])
    expect(await firstTouch(store)).toEqual(expected)
    await insertFixtureEvents(store.client, 'p', [{ user: 'u1', at: utc('2025-01-09', 0, '07:00'), device: 'desktop', referrer: 'https://search.example/' }])
    expect((await firstTouch(store))[1]).toEqual({ identified: 1, user_key: 'u1', at: '2025-01-09 07:00:00.000', touch: ['https://app.example.com/', 'https://search.example/', 'desktop', '/', '', '', ''] })
  })

  it('runs again without harm (a second replica), and on a cluster feeds the shards from theirs', async () => {
    const before = await firstTouch(store)
    for (const statement of firstTouchUp({})) await store.client.command({ query: statement })
    await backfillActivityRollup(store)
    expect(await firstTouch(store)).toEqual(before)

    const cluster = firstTouchUp({ cluster: 'analytics' })
    expect(cluster[0]).toMatch(/^CREATE TABLE IF NOT EXISTS first_touch_local ON CLUSTER analytics/)
    expect(cluster[0]).toContain('ReplicatedAggregatingMergeTree')
    expect(cluster[1]).toMatch(/^CREATE TABLE IF NOT EXISTS first_touch ON CLUSTER analytics AS first_touch_local ENGINE = Distributed/)
    expect(cluster.find((s) => s.startsWith('CREATE MATERIALIZED VIEW'))).toContain('TO first_touch_local AS')
    expect(cluster.find((s) => s.startsWith('CREATE MATERIALIZED VIEW'))).toContain('FROM events_local')
  })
})
