import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { insertEvents, type TestEvent } from '../accounts/__fixtures__/events.js'
import { historyStart } from '../accounts/health-defaults.js'
import type { Store } from '../store/client.js'
import { loadMigrations, migrate } from '../store/migrate.js'
import { up as firstActivityUp } from '../store/migrations/047_first_activity.js'
import { openTestStore } from '../testing/store.js'
import { backfillActivityRollup } from './backfill.js'
import { firstActivityComplete } from './status.js'

/**
 * Migration 047 on a data folder with events stored before it: the background job adds each user
 * key's first activity to `first_activity`, the view adds later keys, and a key keeps its earliest
 * quarter hour of activity whatever the order its events arrive in: the rollup's earliest bucket.
 */
const history: TestEvent[] = [
  { event: '$pageview', timestamp: '2025-03-03 09:07:00.000', user_id: 'u1' },
  { event: '$click', timestamp: '2025-03-04 10:00:00.000', user_id: 'u1' },
  // A page leave is no activity: a2's first activity is its click.
  { event: '$pageleave', timestamp: '2025-03-02 08:00:00.000', anonymous_id: 'a2' },
  { event: '$click', timestamp: '2025-03-05 23:59:59.999', anonymous_id: 'a2' },
]

const firsts = async (store: Store) =>
  (await store.client.query({
    query: `SELECT identified, user_key, toString(min(first)) AS first FROM first_activity WHERE project_id = 'p' GROUP BY identified, user_key ORDER BY identified, user_key`,
    format: 'JSONEachRow',
  })).json<{ identified: number; user_key: string; first: string }>()
/** The same from every rollup row, as the overview found it before. */
const fromRollup = async (store: Store) =>
  (await store.client.query({
    query: `SELECT identified, user_key, toString(min(bucket)) AS first FROM activity_rollup
      WHERE project_id = 'p' AND event NOT IN ('$pageleave', '$identify', '$group', '$nudge_shown', '$nudge_clicked', '$nudge_dismissed', '$nudge_held_out')
      GROUP BY identified, user_key ORDER BY identified, user_key`,
    format: 'JSONEachRow',
  })).json<{ identified: number; user_key: string; first: string }>()

describe('first activity kept at ingest (migration 047)', () => {
  let store: Store
  let cleanup: () => Promise<void>
  beforeAll(async () => {
    ;({ store, cleanup } = await openTestStore({ before: 47 }))
    await insertEvents(store.client, 'p', history)
    await backfillActivityRollup(store)
  }, 120_000)
  afterAll(async () => {
    await cleanup?.()
  })

  it('adds the keys stored before it in the background job, and later ones as they arrive', async () => {
    expect(await migrate(store, (await loadMigrations()).filter((m) => m.version <= 47))).toEqual([47])
    expect(await firstActivityComplete(store.client, 'p')).toBe(false)
    expect(await firsts(store)).toEqual([])
    // The health report's history starts on the first day of activity: from the events until the job is done.
    expect(await historyStart(store.client, 'p')).toBe('2025-03-03')
    expect(await backfillActivityRollup(store)).toEqual({ projects: 1, stopped: false })
    expect(await firstActivityComplete(store.client, 'p')).toBe(true)
    expect(await historyStart(store.client, 'p')).toBe('2025-03-03')
    const expected = [
      { identified: 0, user_key: 'a2', first: '2025-03-05 23:45:00' },
      { identified: 1, user_key: 'u1', first: '2025-03-03 09:00:00' },
    ]
    expect(await firsts(store)).toEqual(expected)
    expect(await fromRollup(store)).toEqual(expected)
    // Done: a second run has nothing left to do.
    expect(await backfillActivityRollup(store)).toEqual({ projects: 0, stopped: false })

    // A later event changes nothing; one that arrives late but happened earlier takes over; a new key arrives with its event.
    await insertEvents(store.client, 'p', [{ event: '$click', timestamp: '2025-03-09 09:00:00.000', user_id: 'u1' }])
    expect(await firsts(store)).toEqual(expected)
    await insertEvents(store.client, 'p', [
      { event: '$click', timestamp: '2025-03-01 07:20:00.000', user_id: 'u1' },
      { event: 'report_shared', timestamp: '2025-03-06 00:00:00.000', user_id: 'u3' },
    ])
    const later = await firsts(store)
    expect(later).toEqual([expected[0], { identified: 1, user_key: 'u1', first: '2025-03-01 07:15:00' }, { identified: 1, user_key: 'u3', first: '2025-03-06 00:00:00' }])
    expect(await fromRollup(store)).toEqual(later)
    expect(await historyStart(store.client, 'p')).toBe('2025-03-01')
    // The same events stored again (a replay in another batch) change nothing.
    await insertEvents(store.client, 'p', [...history].reverse())
    expect(await firsts(store)).toEqual(later)
  })

  it('runs again without harm (a second replica)', async () => {
    const before = await firsts(store)
    for (const statement of firstActivityUp({})) await store.client.command({ query: statement })
    await backfillActivityRollup(store)
    expect(await firsts(store)).toEqual(before)

  })
})
